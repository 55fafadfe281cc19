using System.Globalization;
using System.Text.Json;
using Analytics.Core.Calendars;
using Analytics.Reports;
using Analytics.Storage.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Writes the weekly report of the week just ended at the configured day and local time (<c>Analytics:ReportDay</c>,
/// <c>ReportTime</c>, <c>ReportTimeZone</c>) into <c>Analytics:Reports/WEEK/</c>, and announces it through the outbox
/// ("report for 2025-W10 is ready" with the headline numbers).
/// </summary>
internal sealed class ReportScheduler(StoreGate gate, AnalyticsSettings settings, TimeProvider time, ILogger<ReportScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(settings.ReportDay) || !Enum.TryParse<DayOfWeek>(settings.ReportDay, true, out var day)
            || !TimeOnly.TryParse(settings.ReportTime, CultureInfo.InvariantCulture, out var at))
            return;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.ReportTimeZone);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = NextOccurrence(time.GetUtcNow().UtcDateTime, day, at, zone);
            try
            {
                await Task.Delay(next - time.GetUtcNow().UtcDateTime, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var local = TimeZoneInfo.ConvertTimeFromUtc(next, zone).AddDays(-7);
            var week = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}");
            try
            {
                await gate.RunAsync(store =>
                {
                    var report = WeeklyReportBuilder.Build(store, week, BuiltInCalendars.CnShanghai);
                    var paths = ReportRenderer.Write(report, Path.Combine(settings.Reports, week), "en");
                    var c = report.Current;
                    var content = string.Create(CultureInfo.InvariantCulture,
                        $"**Weekly approval report for {week} is ready**\n> cases in {c.CasesIn}, out {c.CasesOut}, WIP {c.WorkInProgress}\n> end-to-end p90 {c.CycleP90Hours:0.0} business hours\n> PM-review ratio {c.ReviewRatio:P1} (target 15%)\n> {Path.GetFullPath(paths[2])}");
                    new Outbox(store).Enqueue("report-ready", "report:" + week, JsonSerializer.Serialize(new { msgtype = "markdown", markdown = new { content } }), time.GetUtcNow());
                    return paths[2];
                }, stoppingToken);
                logger.LogInformation("Weekly report for {Week} written to {Folder}", week, Path.Combine(settings.Reports, week));
            }
            catch (Exception ex) when (ex is IOException or DuckDB.NET.Data.DuckDBException or FormatException)
            {
                logger.LogError(ex, "The weekly report for {Week} failed", week);
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
