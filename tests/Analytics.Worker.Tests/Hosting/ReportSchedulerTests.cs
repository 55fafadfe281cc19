using Analytics.Worker.Hosting;

namespace Analytics.Worker.Tests.Hosting;

public sealed class ReportSchedulerTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    // Wednesday 5 March 2025 → Monday 10 March 08:00 in Shanghai = 00:00 UTC.
    [InlineData("2025-03-05T00:00:00Z", "2025-03-10T00:00:00Z")]
    // Monday 10 March 07:59 in Shanghai → the same morning at 08:00.
    [InlineData("2025-03-09T23:59:00Z", "2025-03-10T00:00:00Z")]
    // Monday 08:30 in Shanghai, just after → a week later.
    [InlineData("2025-03-10T00:30:00Z", "2025-03-17T00:00:00Z")]
    public void ReportRunsAtTheNextConfiguredLocalWeekdayAndTime(string now, string expected)
    {
        var next = ReportScheduler.NextOccurrence(DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal),
            DayOfWeek.Monday, new TimeOnly(8, 0), Shanghai);

        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), next);
    }
}
