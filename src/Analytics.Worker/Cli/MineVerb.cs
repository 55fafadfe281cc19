using System.Globalization;
using System.Text;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage.Mining;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics mine dfg|variants|cases|nodes|rework|conformance</c> over the store, with
/// <c>--calendar NAME|FILE</c>, <c>--from/--to</c> (cases whose first event is in the window),
/// <c>--where KEY=VALUE</c> (repeatable, on case attributes) and <c>--activities A,B,…</c>.
/// </summary>
internal static class MineVerb
{
    public static int Run(CommandLine line, VerbContext context)
    {
        line.Allow("calendar", "from", "to", "where", "activities", "format", "by", "reject-pattern", "policy", "top");
        var what = line.Positionals.Count > 0 ? line.Positionals[0]
            : throw new UsageException("mine needs what to mine: dfg, variants, cases, nodes, rework or conformance");
        var filter = Filter(line);
        var calendar = line.Option("calendar") is { } c ? CalendarOption.Resolve(c) : null;
        using var store = context.OpenStore();
        var miner = new ProcessMiner(store);
        switch (what)
        {
            case "dfg":
                var edges = miner.DirectlyFollows(filter, calendar);
                if (line.Option("format") == "dot")
                    Console.Write(Reports.ProcessMapDot.Render(edges, miner.Cases(filter, null)));
                else if (line.Json)
                    JsonOutput.Write(new { calendar = calendar?.Name, edges = edges.Select(EdgeJson) });
                else
                    foreach (var e in edges)
                        Console.WriteLine($"{e.From} → {e.To}: {e.Count:N0} ({e.Cases:N0} cases), median {Human(e.WallClock.MedianSeconds)}, p90 {Human(e.WallClock.P90Seconds)}" +
                                          (e.Business is { } b ? $"; business median {Human(b.MedianSeconds)}" : ""));
                return ExitCodes.Ok;
            case "variants":
                var variants = miner.Variants(filter);
                var top = line.Int("top", int.MaxValue);
                if (line.Json)
                    JsonOutput.Write(new { total = variants.Count, variants = variants.Take(top).Select(v => new { activities = v.Activities, count = v.Count, coverage = v.Coverage }) });
                else
                    foreach (var v in variants.Take(Math.Min(top, 20)))
                        Console.WriteLine($"{v.Count,8:N0} {v.Coverage,7:P1}  {string.Join(" → ", v.Activities)}");
                return ExitCodes.Ok;
            case "cases":
                var cases = miner.Cases(filter, calendar);
                if (line.Json)
                    JsonOutput.Write(CasesJson(cases, calendar));
                else
                    Console.WriteLine($"{cases.Cases:N0} cases; throughput median {Human(cases.WallClock.MedianSeconds)}, mean {Human(cases.WallClock.MeanSeconds)}, p90 {Human(cases.WallClock.P90Seconds)}, max {Human(cases.WallClock.MaxSeconds)}" +
                                      (cases.Business is { } b ? $"; business median {Human(b.MedianSeconds)}, p90 {Human(b.P90Seconds)}" : ""));
                return ExitCodes.Ok;
            case "nodes":
                var nodes = miner.Nodes(filter, calendar, line.Option("by") ?? "node");
                if (line.Json)
                    JsonOutput.Write(new { calendar = calendar?.Name, nodes = nodes.Select(NodeJson) });
                else
                {
                    var cumulative = 0.0;
                    foreach (var n in nodes)
                    {
                        cumulative += n.WaitingShare;
                        Console.WriteLine($"{n.Node}{(n.Role is null ? "" : " / " + n.Role)}{(n.Resource is null ? "" : " / " + n.Resource)}: waiting median {Human(n.Waiting.MedianSeconds)}, p90 {Human(n.Waiting.P90Seconds)}" +
                                          $"{(n.BusinessWaiting is { } b ? $" (business p90 {Human(b.P90Seconds)})" : "")}, share {n.WaitingShare:P1} (cumulative {cumulative:P1})" +
                                          (n.Processing is { } p ? $"; processing median {Human(p.MedianSeconds)}" : ""));
                    }
                }
                return ExitCodes.Ok;
            case "rework":
                var rework = miner.Rework(filter, line.Option("reject-pattern") ?? "%reject%");
                if (line.Json)
                    JsonOutput.Write(rework);
                else
                    Console.WriteLine($"{rework.Cases:N0} cases: first-pass yield {rework.FirstPassYield:P1}, {rework.CasesWithRework:N0} with repeated activities, {rework.CasesWithRejection:N0} with a rejection, {rework.RejectionLoops:N0} rejection → resubmission loops");
                return ExitCodes.Ok;
            case "conformance":
                return ConformanceVerb.Run(line, miner, store, filter);
            default:
                throw new UsageException($"mine: unknown analysis '{what}' (dfg, variants, cases, nodes, rework, conformance)");
        }
    }

    internal static MiningFilter Filter(CommandLine line) => new()
    {
        FromUtc = Instant(line.Option("from"), "from"),
        ToUtc = Instant(line.Option("to"), "to"),
        Activities = line.Option("activities")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        CaseAttributes = line.Options("where").Select(w =>
        {
            try
            {
                return AttributeCondition.Parse(w);
            }
            catch (FormatException ex)
            {
                throw new UsageException("--where: " + ex.Message);
            }
        }).ToList(),
    };

    internal static DateTime? Instant(string? text, string option)
    {
        if (text is null)
            return null;
        return Core.Time.TimestampParser.TryParse(text.AsSpan(), TimeZoneInfo.Utc, out var utc)
            ? utc
            : throw new UsageException($"--{option}: '{text}' is not a date or timestamp (ISO 8601, e.g. 2019-03-01 or 2019-03-01T08:00:00+01:00)");
    }

    private static object Summary(DurationSummary s) => new
    {
        count = s.Count, meanSeconds = s.MeanSeconds, medianSeconds = s.MedianSeconds, p90Seconds = s.P90Seconds, p95Seconds = s.P95Seconds,
        minSeconds = s.MinSeconds, maxSeconds = s.MaxSeconds, stdevSeconds = s.StdevSeconds,
    };

    private static object EdgeJson(DfgEdge e) => new
    {
        from = e.From, to = e.To, count = e.Count, cases = e.Cases,
        meanSeconds = e.WallClock.MeanSeconds, medianSeconds = e.WallClock.MedianSeconds, p90Seconds = e.WallClock.P90Seconds,
        p95Seconds = e.WallClock.P95Seconds, minSeconds = e.WallClock.MinSeconds, maxSeconds = e.WallClock.MaxSeconds, stdevSeconds = e.WallClock.StdevSeconds,
        business = e.Business is null ? null : Summary(e.Business),
    };

    private static object CasesJson(CaseDurations c, BusinessCalendar? calendar) => new
    {
        cases = c.Cases, minSeconds = c.WallClock.MinSeconds, medianSeconds = c.WallClock.MedianSeconds, meanSeconds = c.WallClock.MeanSeconds,
        p90Seconds = c.WallClock.P90Seconds, p95Seconds = c.WallClock.P95Seconds, maxSeconds = c.WallClock.MaxSeconds, stdevSeconds = c.WallClock.StdevSeconds,
        percentiles = c.Percentiles.ToDictionary(p => "p" + p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
        calendar = calendar?.Name,
        business = c.Business is null ? null : Summary(c.Business),
        startActivities = c.StartActivities, endActivities = c.EndActivities,
    };

    private static object NodeJson(NodeLatency n) => new
    {
        node = n.Node, role = n.Role, resource = n.Resource, waiting = Summary(n.Waiting),
        businessWaiting = n.BusinessWaiting is null ? null : Summary(n.BusinessWaiting),
        processing = n.Processing is null ? null : Summary(n.Processing), waitingShare = n.WaitingShare,
    };

    internal static string Human(double seconds) => Reports.ProcessMapDot.Human(seconds);
}
