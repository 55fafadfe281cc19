using System.Text;
using Analytics.Core.Calendars;

namespace Analytics.Core.Tests.Calendars;

/// <summary>Business durations against hand-computed expectations.</summary>
public sealed class BusinessClockTests
{
    private static DateTime Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;

    private static double Between(BusinessCalendar calendar, string from, string to) =>
        BusinessClock.Build(calendar, Utc(from), Utc(to)).Between(Utc(from), Utc(to));

    [Fact]
    public void LatencyExcludesWeekendHours() =>
        // Friday 16:00 → Monday 10:00: one hour on Friday, one on Monday.
        Assert.Equal(7200, Between(BuiltInCalendars.UtcWeekdays9To17, "2024-03-08T16:00:00Z", "2024-03-11T10:00:00Z"));

    [Fact]
    public void LunchBreakIsNotWorked() =>
        // Shanghai 11:00 → 14:00 on a Tuesday: 11–12 and 13–14.
        Assert.Equal(7200, Between(BuiltInCalendars.CnShanghai, "2024-03-05T11:00:00+08:00", "2024-03-05T14:00:00+08:00"));

    [Fact]
    public void NationalDayHolidaysAreNotWorked() =>
        // Monday 30 Sep 2024 17:00 → Tuesday 8 Oct 10:00: 1 Oct–7 Oct are holidays (5 and 6 Oct a weekend anyway).
        // 17–18 on 30 Sep and 09–10 on 8 Oct.
        Assert.Equal(7200, Between(BuiltInCalendars.CnShanghai, "2024-09-30T17:00:00+08:00", "2024-10-08T10:00:00+08:00"));

    [Fact]
    public void MakeUpSaturdayIsWorked() =>
        // Friday 11 Oct 2024 17:00 → Monday 14 Oct 10:00; Saturday 12 Oct is an official make-up working day (8 h).
        Assert.Equal(3600 + 8 * 3600 + 3600, Between(BuiltInCalendars.CnShanghai, "2024-10-11T17:00:00+08:00", "2024-10-14T10:00:00+08:00"));

    [Fact]
    public void OrdinarySaturdayIsNotWorked() =>
        Assert.Equal(3600 + 3600, Between(BuiltInCalendars.CnShanghai, "2024-03-08T17:00:00+08:00", "2024-03-11T10:00:00+08:00"));

    [Fact]
    public void DaylightSavingDaysCountTheHoursThatElapse()
    {
        var allSundays = Parse("""
            {"name": "sundays", "timeZone": "Europe/Amsterdam", "week": {"sunday": [["00:00", "24:00"]]}}
            """);
        // 31 March 2024 has 23 hours in Amsterdam, 27 October 2024 has 25.
        Assert.Equal(23 * 3600, Between(allSundays, "2024-03-30T12:00:00Z", "2024-04-01T12:00:00Z"));
        Assert.Equal(25 * 3600, Between(allSundays, "2024-10-26T12:00:00Z", "2024-10-28T12:00:00Z"));
    }

    [Fact]
    public void WorkingPeriodStartingInTheSpringGapStartsWhenClocksResume()
    {
        var early = Parse("""{"timeZone": "Europe/Amsterdam", "week": {"sunday": [["02:30", "04:00"]]}}""");
        // 02:30 does not exist on 31 March 2024; the period runs 03:00–04:00 CEST, one hour.
        Assert.Equal(3600, Between(early, "2024-03-30T12:00:00Z", "2024-04-01T12:00:00Z"));
    }

    [Fact]
    public void RoleCalendarOverridesTheDefaultHours()
    {
        var calendar = Parse("""
            {"name": "office", "timeZone": "Asia/Shanghai", "week": {"monday": [["09:00", "18:00"]], "tuesday": [["09:00", "18:00"]]},
             "roles": {"FINANCE": {"week": {"monday": [["09:00", "12:00"]], "tuesday": [["09:00", "12:00"]]}}},
             "holidays": ["2024-03-12"]}
            """);
        var finance = calendar.Roles["FINANCE"];

        Assert.Equal("office/FINANCE", finance.Name);
        // Monday 4 March 10:00 → Tuesday 5 March 10:00: default 8 h + 1 h; finance 2 h + 1 h.
        Assert.Equal(9 * 3600, Between(calendar, "2024-03-04T10:00:00+08:00", "2024-03-05T10:00:00+08:00"));
        Assert.Equal(3 * 3600, Between(finance, "2024-03-04T10:00:00+08:00", "2024-03-05T10:00:00+08:00"));
        // The role inherits the holidays: Tuesday 12 March is off for finance too.
        Assert.Equal(0, Between(finance, "2024-03-12T08:00:00+08:00", "2024-03-12T20:00:00+08:00"));
    }

    [Fact]
    public void InstantsOutsideWorkingHoursReadTheSameClock()
    {
        var clock = BusinessClock.Build(BuiltInCalendars.UtcWeekdays9To17, Utc("2024-03-04T00:00:00Z"), Utc("2024-03-06T00:00:00Z"));
        Assert.Equal(clock.SecondsAt(Utc("2024-03-04T17:00:00Z")), clock.SecondsAt(Utc("2024-03-05T08:59:00Z")));
        Assert.Equal(0, clock.Between(Utc("2024-03-04T18:00:00Z"), Utc("2024-03-04T23:00:00Z")));
    }

    [Theory]
    [InlineData("""{"week": {}}""", "timeZone is required")]
    [InlineData("""{"timeZone": "Mars/Olympus"}""", "unknown time zone")]
    [InlineData("""{"timeZone": "UTC", "week": {"funday": []}}""", "'funday' is not a day of the week")]
    [InlineData("""{"timeZone": "UTC", "week": {"monday": [["17:00", "09:00"]]}}""", "ends before it starts")]
    [InlineData("""{"timeZone": "UTC", "holidays": ["2024-02-30"]}""", "is not a date")]
    public void InvalidCalendarFilesSayWhatIsWrong(string json, string message)
    {
        var ex = Assert.Throws<FormatException>(() => Parse(json));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    private static BusinessCalendar Parse(string json) => BusinessCalendar.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");
}
