using System.CommandLine;
using Analytics.Application.Reports;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics report --week 2025-W10 --out DIR</c>: the weekly latency report as report.html, report.md and report.json.</summary>
internal static class ReportCommand
{
    public const string Name = "report";

    public const string Description = "The weekly latency report of one ISO week: report.html (self-contained), report.md (for chat) and report.json (every number).";

    public static Command Create(CliContext context)
    {
        var week = new Option<string>("--week") { Description = "The ISO week, e.g. 2025-W10 (Monday to Sunday in the calendar's zone).", Required = true, HelpName = "YYYY-Www" };
        var output = new Option<string>("--out") { Description = "The folder for report.html, report.md and report.json.", Required = true, HelpName = "DIR" };
        var lang = Options.Text("--lang", "en or zh-CN (default: the profile's report language).", "LANG");
        var calendar = Options.Text("--calendar", "Business calendar of the hours: a built-in name or a file (default: the profile's).", "NAME|FILE");
        var sla = Options.Number("--sla", "End-to-end SLA in business hours (default: the profile's sla.caseHours; none, no SLA card).", "HOURS");
        var policy = Options.Text("--policy", "An approval policy checked on the week's completed cases (see data-samples/policies/).", "FILE");
        var coverage = Options.Number("--map-coverage", "Share of the week's completed cases whose paths the process map draws, the most frequent first; the rest are counted beside it (default: 0.9).", "SHARE");
        var command = new Command(Name, Description)
        {
            week, output, lang, calendar, sla, policy, coverage,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new WeeklyReportService(store, context.Time).WriteAsync(
                new ReportRequest(parse.GetValue(week)!, parse.GetValue(output), parse.GetValue(lang), parse.GetValue(calendar), parse.GetValue(sla), parse.GetValue(policy), parse.GetValue(coverage)), ct);
            return context.Report(parse, result, w => context.Out.WriteLine(w.Html), w => new { html = w.Html, markdown = w.Markdown, json = w.Json, language = w.Language });
        });
        return command;
    }
}
