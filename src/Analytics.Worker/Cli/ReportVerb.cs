using Analytics.Core.Calendars;
using Analytics.Reports;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics report --week 2025-W10 --out DIR [--lang en|zh-CN] [--calendar NAME|FILE] [--sla HOURS]</c>: the weekly
/// latency report as report.html, report.md and report.json.
/// </summary>
internal static class ReportVerb
{
    public static int Run(CommandLine line, VerbContext context)
    {
        line.Allow("week", "out", "lang", "calendar", "sla", "policy");
        var lang = line.Option("lang") ?? "en";
        if (lang is not ("en" or "zh-CN"))
            throw new UsageException($"--lang: '{lang}' (en or zh-CN)");
        var calendar = line.Option("calendar") is { } c ? CalendarOption.Resolve(c) : BuiltInCalendars.CnShanghai;
        using var store = context.OpenStore();
        var paths = Write(store, line.Required("week"), line.Required("out"), lang, calendar, SpcVerb.Number(line, "sla") ?? 40, LoadPolicy(line.Option("policy")));
        if (line.Json)
            JsonOutput.Write(new { html = paths[2], markdown = paths[1], json = paths[0] });
        else
            Console.WriteLine(paths[2]);
        return ExitCodes.Ok;
    }

    internal static Core.Mining.ApprovalPolicy? LoadPolicy(string? path)
    {
        if (path is null)
            return null;
        try
        {
            using var stream = File.OpenRead(path);
            return Core.Mining.ApprovalPolicy.Parse(stream, path);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            throw new UsageException(ex.Message);
        }
    }

    internal static IReadOnlyList<string> Write(Storage.EventStore store, string week, string folder, string lang, BusinessCalendar calendar, double slaHours,
        Core.Mining.ApprovalPolicy? policy = null)
    {
        WeeklyReport report;
        try
        {
            report = WeeklyReportBuilder.Build(store, week, calendar, slaHours, policy: policy);
        }
        catch (FormatException ex)
        {
            throw new UsageException("report: " + ex.Message);
        }
        return ReportRenderer.Write(report, folder, lang);
    }
}
