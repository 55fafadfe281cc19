using System.CommandLine;
using System.Globalization;
using Analytics.Application;
using Analytics.Application.Mining;
using Analytics.Core.Mining;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics mine dfg|variants|cases|nodes|rework|conformance</c> over the store.</summary>
internal static class MineCommand
{
    public const string Name = "mine";

    public const string Description = "Process mining over the store: business time on the profile's calendar, its side activities left out.";

    public static Command Create(CliContext context)
    {
        var command = new Command(Name, Description);
        command.Subcommands.Add(Dfg(context));
        command.Subcommands.Add(Variants(context));
        command.Subcommands.Add(Cases(context));
        command.Subcommands.Add(Nodes(context));
        command.Subcommands.Add(Rework(context));
        command.Subcommands.Add(Conformance(context));
        return command;
    }

    private static Command Verb(string name, string description, CliContext context, Func<ParseResult, MiningService, MiningRequest, CancellationToken, Task<int>> run, params Option[] options)
    {
        var filter = new MiningOptions();
        var command = new Command(name, description);
        filter.AddTo(command);
        foreach (var o in options)
            command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var (request, problem) = filter.Read(parse);
            if (request is null)
            {
                context.Error.WriteLine($"analytics: {problem}");
                return ExitCodes.Usage;
            }
            using var store = context.Store(parse);
            return await run(parse, new MiningService(store), request, ct);
        });
        return command;
    }

    private static Command Dfg(CliContext context)
    {
        var format = Options.Choice("--format", "text, json (the same as --json), dot (the report's process map as Graphviz DOT) or svg (that map drawn, as in the report: '> map.svg'; needs Graphviz).", "text", "text", "json", "dot", "svg");
        return Verb("dfg", "The directly-follows graph: per edge count, cases and duration statistics (also in business time with a calendar).", context, async (parse, mining, request, ct) =>
        {
            if (parse.GetValue(format) is "dot" or "svg")
            {
                var map = await mining.MapAsync(request, ct);
                string? problem = null;
                var code = context.Report(parse, map, m =>
                {
                    var dot = Reports.ProcessMapDot.Render(Core.Mining.ProcessMap.OfGraph(m.Value.Edges, m.Value.Cases));
                    if (parse.GetValue(format) == "dot")
                    {
                        context.Out.Write(dot);
                        return;
                    }
                    var (svg, why) = Reports.ProcessMapDot.ToSvg(dot);
                    if (svg is null)
                        problem = why;
                    else
                        context.Out.Write(svg);
                });
                if (problem is null)
                    return code;
                context.Error.WriteLine($"analytics: mine dfg --format svg: {problem} (--format dot writes the map without drawing it)");
                return ExitCodes.Failed;
            }
            var result = await mining.DirectlyFollowsAsync(request, ct);
            var json = parse.GetValue(format) == "json" || parse.GetValue(GlobalOptions.Json);
            return context.Report(parse, result, m =>
            {
                if (json)
                {
                    context.WriteJson(MiningJson.Dfg(m));
                    return;
                }
                if (m.Value.Count == 0)
                    context.Out.WriteLine("no edges: no case in scope has two events (an empty store, or a filter that keeps too little)");
                foreach (var e in m.Value)
                    context.Out.WriteLine($"{e.From} → {e.To}: {e.Count:N0} ({e.Cases:N0} cases), median {Human(e.WallClock.MedianSeconds)}, p90 {Human(e.WallClock.P90Seconds)}" +
                                          (e.Business is { } b ? $"; business median {Hours(b.MedianSeconds)}" : ""));
                Footer(context, m);
            }, MiningJson.Dfg);
        }, format);
    }

    private static Command Variants(CliContext context)
    {
        var top = Options.OptionalInt("--top", "How many variants to list, most frequent first (default: 20 as text, all with --json).", 1, int.MaxValue);
        return Verb("variants", "Variants (activity sequences), most frequent first, with their coverage.", context, async (parse, mining, request, ct) =>
        {
            var result = await mining.VariantsAsync(request, ct);
            var n = parse.GetValue(top) ?? (parse.GetValue(GlobalOptions.Json) ? int.MaxValue : 20);
            return context.Report(parse, result, m =>
            {
                foreach (var v in m.Value.Take(n))
                    context.Out.WriteLine($"{v.Count,8:N0} {v.Coverage,7:P1}  {string.Join(" → ", v.Activities)}");
                context.Out.WriteLine(m.Value.Count > n
                    ? $"{n:N0} of {m.Value.Count:N0} variants, covering {m.Value.Take(n).Sum(v => v.Coverage):P1} of cases (use --top N for more)"
                    : $"{m.Value.Count:N0} variants");
                Footer(context, m, durations: false);
            }, m => MiningJson.Variants(m, n));
        }, top);
    }

    private static Command Cases(CliContext context) =>
        Verb("cases", "Throughput times of whole cases: percentiles, start and end activities.", context, async (parse, mining, request, ct) =>
        {
            var result = await mining.CasesAsync(request, ct);
            return context.Report(parse, result, m =>
            {
                var c = m.Value;
                context.Out.WriteLine($"{c.Cases:N0} cases; throughput median {Human(c.WallClock.MedianSeconds)}, mean {Human(c.WallClock.MeanSeconds)}, p90 {Human(c.WallClock.P90Seconds)}, max {Human(c.WallClock.MaxSeconds)} (wall clock)" +
                                      (c.Business is { } b ? $"; business median {Hours(b.MedianSeconds)}, p90 {Hours(b.P90Seconds)}" : ""));
                Footer(context, m);
            }, m => CasesJson(m));
        });

    private static Command Nodes(CliContext context)
    {
        var by = Options.Choice("--by", "Group waiting by node (activity), role or resource.", "node", "node", "role", "resource");
        return Verb("nodes", "Waiting before each node (and processing where start/complete exist), each node's share of all waiting: a Pareto.", context, async (parse, mining, request, ct) =>
        {
            var result = await mining.NodesAsync(request, parse.GetValue(by)!, ct);
            return context.Report(parse, result, m =>
            {
                var cumulative = 0.0;
                foreach (var n in m.Value)
                {
                    cumulative += n.WaitingShare;
                    context.Out.WriteLine($"{n.Node}{(n.Role is null ? "" : " / " + n.Role)}{(n.Resource is null ? "" : " / " + n.Resource)}: waiting median {Human(n.Waiting.MedianSeconds)}, p90 {Human(n.Waiting.P90Seconds)}" +
                                          $"{(n.BusinessWaiting is { } b ? $" (business p90 {Hours(b.P90Seconds)})" : "")}, share {n.WaitingShare:P1} (cumulative {cumulative:P1})" +
                                          (n.Processing is { } p ? $"; processing median {Human(p.MedianSeconds)}" : ""));
                }
                Footer(context, m);
            }, m => new { calendar = m.Calendar, excluded = m.Excluded, nodes = m.Value.Select(NodeJson) });
        }, by);
    }

    private static Command Rework(CliContext context)
    {
        var pattern = Options.Text("--reject-pattern", "Activities that are a rejection, a case-insensitive LIKE pattern (default: the profile's rejectPattern, %reject%).", "LIKE");
        return Verb("rework", "Repeated activities, rejection loops and first-pass yield.", context, async (parse, mining, request, ct) =>
        {
            var result = await mining.ReworkAsync(request, parse.GetValue(pattern), ct);
            return context.Report(parse, result, m =>
            {
                var r = m.Value;
                context.Out.WriteLine($"{r.Cases:N0} cases: first-pass yield {r.FirstPassYield:P1}, {r.CasesWithRework:N0} with repeated activities, {r.CasesWithRejection:N0} with a rejection, {r.RejectionLoops:N0} rejection → resubmission loops");
                Footer(context, m);
            }, m => m.Value);
        }, pattern);
    }

    private static Command Conformance(CliContext context)
    {
        var policy = new Option<string>("--policy") { Description = "The approval policy: required nodes by case attribute, forbidden orders, deadlines, four eyes (see data-samples/policies/).", Required = true, HelpName = "FILE" };
        return Verb("conformance", "Check the approval policy's rules; per rule the violating cases.", context, async (parse, mining, request, ct) =>
        {
            var result = await mining.ConformanceAsync(request, parse.GetValue(policy)!, ct);
            return context.Report(parse, result, m =>
            {
                foreach (var r in m.Value)
                    context.Out.WriteLine($"{r.Rule.Name} ({r.Rule.Type}): {r.Violations.Count:N0} of {r.CasesChecked:N0} cases violate" +
                                          (r.Violations.Count > 0 ? $", e.g. {string.Join(", ", r.Violations.Take(5))}" : ""));
            }, m => new { policy = parse.GetValue(policy), rules = m.Value.Select(r => new { name = r.Rule.Name, type = r.Rule.Type, cases = r.CasesChecked, violations = r.Violations.Count, violatingCases = r.Violations }) });
        }, policy);
    }

    /// <summary>How the figures were measured, below the table.</summary>
    private static void Footer<T>(CliContext context, Mined<T> m, bool durations = true)
    {
        if (durations)
            context.Out.WriteLine(m.Calendar is null
                ? "durations in wall-clock time (d = 24 h)"
                : $"wall-clock durations (d = 24 h); business durations in working hours on {m.Calendar}");
        if (m.Excluded.Count > 0)
            context.Out.WriteLine($"left out as recorded beside the flow (profile): {string.Join(", ", m.Excluded)} (--include-side keeps them)");
    }

    private static object CasesJson(Mined<CaseDurations> m)
    {
        var c = m.Value;
        return new
        {
            cases = c.Cases, minSeconds = c.WallClock.MinSeconds, medianSeconds = c.WallClock.MedianSeconds, meanSeconds = c.WallClock.MeanSeconds,
            p90Seconds = c.WallClock.P90Seconds, p95Seconds = c.WallClock.P95Seconds, maxSeconds = c.WallClock.MaxSeconds, stdevSeconds = c.WallClock.StdevSeconds,
            percentiles = c.Percentiles.ToDictionary(p => "p" + p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
            calendar = m.Calendar,
            excluded = m.Excluded,
            business = c.Business is null ? null : MiningJson.Summary(c.Business),
            startActivities = c.StartActivities, endActivities = c.EndActivities,
        };
    }

    private static object NodeJson(NodeLatency n) => new
    {
        node = n.Node, role = n.Role, resource = n.Resource, waiting = MiningJson.Summary(n.Waiting),
        businessWaiting = n.BusinessWaiting is null ? null : MiningJson.Summary(n.BusinessWaiting),
        processing = n.Processing is null ? null : MiningJson.Summary(n.Processing), waitingShare = n.WaitingShare,
    };

    internal static string Human(double seconds) => Reports.ProcessMapDot.Human(seconds);

    /// <summary>Business time always in working hours: a "day" of business time would read as a working day.</summary>
    private static string Hours(double seconds) => seconds < 3600 ? Human(seconds) : FormattableString.Invariant($"{seconds / 3600:F1} working h");
}
