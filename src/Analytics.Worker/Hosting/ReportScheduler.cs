using Analytics.Application.Profiles;
using Analytics.Application.Reports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Writes the weekly report of the week just ended on the profile's schedule (report day and local time in the
/// calendar's zone; Monday 08:00 by default) into <c>Analytics:Reports/WEEK/</c>, in the profile's language, and
/// announces it through the outbox ("report ready" with the headline numbers). The profile is read again before each
/// wait, so a changed schedule applies from the next one.
/// </summary>
internal sealed class ReportScheduler(ProfileService profiles, WeeklyReportService reports, IOptions<AnalyticsSettings> options, TimeProvider time, ILogger<ReportScheduler> logger) : BackgroundService
{
    /// <summary>The longest wait before the profile is read again.</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var profile = await profiles.CurrentAsync(stoppingToken);
                var schedule = profile.Profile.Report;
                var now = time.GetUtcNow().UtcDateTime;
                if (schedule.Day is not { } day)
                {
                    await Ticks.DelayAsync(Recheck, time, stoppingToken);
                    continue;
                }
                var zone = profile.Calendar.TimeZone;
                var next = NextOccurrence(now, day, schedule.Time, zone);
                if (next - now > Recheck)
                {
                    await Ticks.DelayAsync(Recheck, time, stoppingToken);
                    continue;
                }
                await Ticks.DelayAsync(next - now, time, stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                    return;
                var week = WeeklyReportService.WeekOf(next.AddDays(-7), zone);
                var written = await reports.PublishAsync(week, options.Value.Reports, stoppingToken);
                if (written.Succeeded)
                    logger.LogInformation("Weekly report for {Week} written to {Folder}", week, Path.GetDirectoryName(written.Value!.Html));
                else
                    logger.LogError("The weekly report for {Week} failed: {Problem}", week, written.Problem!.Message);
                // Past the instant, so the next round waits for the following week.
                await Ticks.DelayAsync(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The report schedule failed; retrying in a minute");
                await Ticks.DelayAsync(TimeSpan.FromMinutes(1), time, stoppingToken);
            }
        }
    }

    /// <summary>The next instant (UTC) after <paramref name="nowUtc"/> that is the given weekday and local time in the zone.</summary>
    internal static DateTime NextOccurrence(DateTime nowUtc, DayOfWeek day, TimeOnly at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone);
        for (var d = 0; d <= 7; d++)
        {
            var date = DateOnly.FromDateTime(local).AddDays(d);
            if (date.DayOfWeek != day)
                continue;
            var candidate = TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(at), zone);
            if (candidate > nowUtc)
                return candidate;
        }
        return TimeZoneInfo.ConvertTimeToUtc(DateOnly.FromDateTime(local).AddDays(7).ToDateTime(at), zone);
    }
}
