using System.Globalization;
using System.Text.Json;
using Analytics.Application.Profiles;
using Analytics.Reports;
using Analytics.Storage;
using Analytics.Storage.Notifications;

namespace Analytics.Application.Reports;

/// <summary>The weekly latency report: built from the store and the profile, rendered to html, md and json, announced by the worker.</summary>
public sealed class WeeklyReportService(IStoreAccess store, TimeProvider time)
{
    /// <summary>Builds and writes a report; language, calendar and SLA are the profile's unless the request overrides them.</summary>
    public async Task<Result<WrittenReport>> WriteAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A malformed week is the request's fault: say so before the store is even opened.
        try
        {
            WeeklyReportBuilder.Bounds(request.Week, TimeZoneInfo.Utc);
        }
        catch (FormatException ex)
        {
            return Result.Fail<WrittenReport>(ProblemKind.Invalid, "report: " + ex.Message);
        }
        return await store.RunAsync(async s =>
        {
            var profile = ProfileService.Current(s);
            return await UseCase.RunAsync(() => Write(s, profile, request), profile.Notes);
        }, cancellationToken);
    }

    /// <summary>
    /// Writes the report of a week into <c>folder/WEEK/</c> in the profile's language and queues a "report ready"
    /// message (once per week) when the profile asks for it. The worker's schedule calls this.
    /// </summary>
    public Task<Result<WrittenReport>> PublishAsync(string week, string folder, CancellationToken cancellationToken) => store.RunAsync(async s =>
    {
        var profile = ProfileService.Current(s);
        return await UseCase.RunAsync(() =>
        {
            var written = Write(s, profile, new ReportRequest(week, Path.Combine(folder, week)));
            if (profile.Profile.Notify.ReportReady)
            {
                var content = ReportRenderer.Message(written.Report, written.Language, written.Html, Routing.Markdown.Escape);
                new Outbox(s).Enqueue("report-ready", "report:" + week, JsonSerializer.Serialize(new { msgtype = "markdown", markdown = new { content } }), time.GetUtcNow());
            }
            return written;
        }, profile.Notes);
    }, cancellationToken);

    /// <summary>The ISO week (in the profile's calendar zone) of an instant.</summary>
    public static string WeekOf(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}");
    }

    private static WrittenReport Write(EventStore s, ActiveProfile profile, ReportRequest request)
    {
        var lang = request.Language ?? profile.Profile.Report.Language;
        if (lang is not ("en" or "zh-CN"))
            throw RequestException.Invalid($"--lang: '{lang}' (en or zh-CN)");
        if (request.SlaHours is { } sla && !(sla > 0 && double.IsFinite(sla)))
            throw RequestException.Invalid($"--sla {sla}: give a positive number of business hours");
        var calendar = Calendars.OrProfile(request.Calendar, profile);
        var policy = request.PolicyPath is null ? null : Policies.Load(request.PolicyPath);
        WeeklyReport report;
        try
        {
            if (request.MapCoverage is { } coverage && !(coverage is > 0 and <= 1))
                throw RequestException.Invalid($"--map-coverage {coverage}: give the share of cases the map draws, above 0 and at most 1 (e.g. 0.9)");
            report = WeeklyReportBuilder.Build(s, request.Week, profile.Profile, calendar, request.SlaHours ?? profile.Profile.Sla.CaseHours, policy, request.MapCoverage ?? 0.9);
        }
        catch (FormatException ex)
        {
            throw RequestException.Invalid("report: " + ex.Message);
        }
        var folder = request.Folder ?? throw RequestException.Invalid("report needs --out DIR");
        var paths = ReportRenderer.Write(report, folder, lang);
        return new WrittenReport(request.Week, lang, paths[0], paths[1], paths[2], report);
    }
}

/// <summary>A report to write.</summary>
/// <param name="Week">ISO week, e.g. 2025-W10.</param>
/// <param name="Folder">Where the three files go.</param>
/// <param name="Language">en or zh-CN; null for the profile's.</param>
/// <param name="Calendar">A calendar overriding the profile's, or null.</param>
/// <param name="SlaHours">An SLA overriding the profile's, or null.</param>
/// <param name="PolicyPath">An approval policy to check the week's cases against, or null.</param>
/// <param name="MapCoverage">Share of the week's completed cases whose paths the process map draws (most frequent first); null for 0.9.</param>
public sealed record ReportRequest(string Week, string? Folder, string? Language = null, string? Calendar = null, double? SlaHours = null, string? PolicyPath = null, double? MapCoverage = null);

/// <summary>A written report.</summary>
/// <param name="Week">The week.</param>
/// <param name="Language">Its language.</param>
/// <param name="Json">report.json.</param>
/// <param name="Markdown">report.md.</param>
/// <param name="Html">report.html.</param>
/// <param name="Report">Every number it shows.</param>
public sealed record WrittenReport(string Week, string Language, string Json, string Markdown, string Html, WeeklyReport Report);
