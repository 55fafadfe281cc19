using System.CommandLine;
using System.Globalization;
using Analytics.Application.WhatIf;
using Analytics.Core.Mining;
using Analytics.Core.WhatIf;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics whatif calibrate|run</c>: calibrate a simulation model from the store and back-test it on a held-out
/// window; run a scenario file against the baseline. The same request can come over HTTP (<c>POST /api/whatif</c>).
/// </summary>
internal static class WhatIfCommand
{
    public const string Name = "whatif";

    public const string Description = "Calibrate and back-test a simulation of the process; run a scenario against the baseline.";

    public static Command Create(CliContext context)
    {
        var command = new Command(Name, Description);
        command.Subcommands.Add(Verb("calibrate", "Calibrate the simulation from the store and back-test it on the held-out window.", context, scenario: false));
        command.Subcommands.Add(Verb("run", "Run a scenario (data-samples/scenarios/*.json) against the baseline, with 95% intervals.", context, scenario: true));
        return command;
    }

    private static Command Verb(string name, string description, CliContext context, bool scenario)
    {
        var scenarioFile = new Option<string>("--scenario") { Description = "The scenario: review share, pools, work times, calendars, skipped nodes, volume (see data-samples/scenarios/).", Required = true, HelpName = "FILE" };
        var train = Options.Text("--train", "Training window of case starts, FROM..TO (either side may be empty; default: all but the test window).", "FROM..TO");
        var test = Options.Text("--test", "Test window of case starts (default: the last quarter of the log).", "FROM..TO");
        var calendar = Options.Text("--calendar", "Business calendar: a built-in name or a file (default: the profile's).", "NAME|FILE");
        var exclude = Options.Text("--exclude", "Activities to leave out, comma-separated (default: the profile's side activities).", "A,B");
        var pool = Options.Many("--pool", "Fix a role's pool size instead of the estimate, ROLE=N (repeatable).", "ROLE=N");
        var pooled = Options.Text("--pooled", "Roles to model as approver queues, comma-separated (default: the profile's pools).", "R,…");
        var delay = Options.Text("--delay", "Roles to model as delays, comma-separated (default: the profile's delays and system accounts).", "R,…");
        var routeBy = Options.Text("--route-by", "Condition routing on this case attribute (default: the profile's review routing attribute; '' for none).", "ATTR");
        var priority = Options.Many("--priority", "Orders meeting this condition go first in the approvers' queues (repeatable).", "KEY>VALUE");
        var where = Options.Many("--where", "Only cases meeting this condition (repeatable).", "KEY=VALUE");
        var replications = Options.Int("--replications", "Replications of each run.", 10, 1, 1000);
        var seed = Options.Int("--seed", "Seed of the simulation.", 1, int.MinValue, int.MaxValue);
        var sla = Options.Number("--sla", "End-to-end SLA in business hours, for SLA attainment (default: the scenario's, else the profile's).", "HOURS");
        var horizonDays = Options.Int("--horizon-days", "Length of a scenario's horizon.", 365, 1, 3650);
        var horizonFrom = Options.Text("--horizon-from", "Start of a scenario's horizon (default: the end of the log).", "T");
        var warmup = Options.Int("--warmup-days", "Warm-up of each replication, not measured.", 30, 0, 365);
        var command = new Command(name, description) { train, test, calendar, exclude, pool, pooled, delay, routeBy, priority, where, replications, seed, sla, horizonDays, horizonFrom, warmup };
        if (scenario)
            command.Options.Add(scenarioFile);
        command.SetAction(async (parse, ct) =>
        {
            WhatIfRequest request;
            try
            {
                var pools = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var p in parse.GetValue(pool) ?? [])
                {
                    var parts = p.Split('=', 2);
                    if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var size) || size < 1)
                        throw new FormatException($"--pool: '{p}' is not ROLE=SIZE with a size of at least 1");
                    pools[parts[0]] = size;
                }
                request = new WhatIfRequest
                {
                    Calendar = parse.GetValue(calendar),
                    Train = WhatIfRequest.Window(parse.GetValue(train), "train"),
                    Test = WhatIfRequest.Window(parse.GetValue(test), "test"),
                    Exclude = List(parse.GetValue(exclude)),
                    Pools = pools,
                    Pooled = List(parse.GetValue(pooled)),
                    Delay = List(parse.GetValue(delay)),
                    RouteBy = parse.GetValue(routeBy),
                    Priority = (parse.GetValue(priority) ?? []).Select(c => WhatIfRequest.Condition(c, "--priority")).ToList(),
                    Where = (parse.GetValue(where) ?? []).Select(c => WhatIfRequest.Condition(c, "--where")).ToList(),
                    Replications = parse.GetValue(replications),
                    Seed = parse.GetValue(seed),
                    SlaHours = parse.GetValue(sla),
                    HorizonDays = parse.GetValue(horizonDays),
                    HorizonFrom = WhatIfRequest.Instant(parse.GetValue(horizonFrom), "horizon-from"),
                    WarmupDays = parse.GetValue(warmup),
                };
            }
            catch (FormatException ex)
            {
                context.Error.WriteLine($"analytics: {ex.Message}");
                return ExitCodes.Usage;
            }
            WhatIfScenario? file = null;
            if (scenario)
            {
                var read = WhatIfService.ReadScenario(parse.GetValue(scenarioFile)!);
                if (!read.Succeeded)
                    return context.Report(parse, read, _ => { });
                file = read.Value;
            }
            using var store = context.Store(parse);
            if (context.Interactive && !parse.GetValue(GlobalOptions.Json))
                context.Error.WriteLine($"calibrating and simulating {request.Replications} replications{(file is null ? "" : " each of baseline and scenario")}…");
            var result = await new WhatIfService(store).RunAsync(request, file, ct);
            return context.Report(parse, result, d => Print(context.Out, d), d => d.ToJson());
        });
        return command;
    }

    private static List<string>? List(string? text) => text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static void Print(TextWriter o, WhatIfDocument d)
    {
        var b = d.BackTest;
        var v = b.Validation;
        if (d.Assumptions.Count > 0)
            o.WriteLine($"from the process profile: {string.Join("; ", d.Assumptions)}");
        o.WriteLine($"back-test: trained on {b.TrainCases:N0} cases ({b.TrainFromUtc:yyyy-MM-dd}..{b.TrainToUtc:yyyy-MM-dd}), simulated {b.TestFromUtc:yyyy-MM-dd}..{b.TestToUtc:yyyy-MM-dd} ({b.TestCases:N0} cases observed), business hours on {d.Calendar}");
        o.WriteLine($"  end-to-end: Wasserstein {v.WassersteinHours:F2} h, KS {v.Ks:F3}; p50 {b.Observed.P50Hours:F1} h vs {b.Simulated.P50Hours.Mean:F1} h ({v.P50ErrorPct:+0.0;-0.0}%), p90 {b.Observed.P90Hours:F1} h vs {b.Simulated.P90Hours.Mean:F1} h ({v.P90ErrorPct:+0.0;-0.0}%), throughput error {v.ThroughputErrorPct:+0.0;-0.0}%");
        var r0 = b.ReplayValidation;
        o.WriteLine($"  given the window's real arrivals: Wasserstein {r0.WassersteinHours:F2} h, KS {r0.Ks:F3}; p50 error {r0.P50ErrorPct:+0.0;-0.0}%, p90 error {r0.P90ErrorPct:+0.0;-0.0}%, throughput error {r0.ThroughputErrorPct:+0.0;-0.0}%");
        o.WriteLine($"  trust: {b.Trust.Verdict} — {b.Trust.Reason}");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  cycle-time distance (EMD, 1-hour bins, wall clock) {v.CycleTimeDistanceHours.Mean:F1} h [{v.CycleTimeDistanceHours.Low:F1}, {v.CycleTimeDistanceHours.High:F1}], circadian distance {v.CircadianDistance.Mean:F2} [{v.CircadianDistance.Low:F2}, {v.CircadianDistance.High:F2}] (over {b.Simulated.Replications} replications)"));
        o.WriteLine(b.Model.ServerPools.Count == 0 ? "  approver pools: none (every role is modelled as a delay: its observed response times)" : "  approver pools:");
        foreach (var p in b.Model.ServerPools)
            o.WriteLine($"  {p.Name,-32} {p.Size} approvers of {p.Members.Count} seen, {p.Multitasking} order{(p.Multitasking == 1 ? "" : "s")} open at once; {p.Evidence}");
        o.WriteLine($"  time of year: {(b.Model.Seasonality.Applies ? "" : "none — ")}{b.Model.Seasonality.Evidence}");
        o.WriteLine("  waiting before each node, observed vs simulated:");
        foreach (var n in v.Roles.Concat(v.Nodes).Where(n => n.ObservedCount >= 30))
            o.WriteLine($"  {n.Node,-32} wait p50 {n.ObservedP50Hours,7:F2} h vs {n.SimulatedP50Hours,7:F2} h ({Error(n.ObservedP50Hours, n.P50ErrorPct)})   p90 {n.ObservedP90Hours,7:F2} h vs {n.SimulatedP90Hours,7:F2} h ({Error(n.ObservedP90Hours, n.P90ErrorPct)})");
        if (d.Result is not { } r)
        {
            foreach (var w in b.Warnings)
                o.WriteLine($"warning: {w}");
            return;
        }
        o.WriteLine();
        o.WriteLine($"scenario '{r.Scenario.Name}': {r.FromUtc:yyyy-MM-dd}..{r.ToUtc:yyyy-MM-dd}, {r.Baseline.Replications} replications (95% intervals)");
        o.WriteLine($"  p50 end-to-end {r.Baseline.P50Hours.Mean:F1} h → {r.Outcome.P50Hours.Mean:F1} h, change {Change(r.Delta.P50Hours)}");
        o.WriteLine($"  p90 end-to-end {r.Baseline.P90Hours.Mean:F1} h → {r.Outcome.P90Hours.Mean:F1} h, change {Change(r.Delta.P90Hours)}");
        if (r.Baseline.SlaAttainment is { } before && r.Outcome.SlaAttainment is { } after)
            o.WriteLine($"  SLA attainment {before.Mean:P1} → {after.Mean:P1}");
        foreach (var n in r.Delta.Roles)
        {
            var was = r.Baseline.Roles.FirstOrDefault(x => x.Node == n.Node);
            var now = r.Outcome.Roles.FirstOrDefault(x => x.Node == n.Node);
            o.WriteLine($"  {n.Node,-24} p90 wait {was?.P90WaitHours.Mean ?? double.NaN,7:F2} h → {now?.P90WaitHours.Mean ?? double.NaN,7:F2} h, change {Change(n.P90WaitHours)}");
        }
        foreach (var u in r.Outcome.Utilisation)
            o.WriteLine($"  {u.Role,-24} {u.Approvers} approvers, utilisation {r.Baseline.Utilisation.FirstOrDefault(x => x.Role == u.Role)?.Utilisation.Mean ?? double.NaN:P0} → {u.Utilisation.Mean:P0}");
        foreach (var w in r.Warnings)
            o.WriteLine($"warning: {w}");
    }

    // A relative error of a wait under three minutes says nothing (0.00 h against 0.00 h would read "+47.5%").
    private static string Error(double observedHours, double percent) =>
        observedHours < 0.05 ? "   n/a: under 3 min" : string.Create(CultureInfo.InvariantCulture, $"{percent,6:+0.0;-0.0;±0.0}%");

    // A change whose interval rounds to nothing on both ends is said to be no change, not "+0.00" or "-0.00".
    private static string Change(Estimate e) => Math.Abs(e.Low) < 0.005 && Math.Abs(e.High) < 0.005
        ? "±0.00 h (no change at this resolution)"
        : string.Create(CultureInfo.InvariantCulture, $"{e.Mean:+0.00;-0.00;±0.00} h [{e.Low:+0.00;-0.00;±0.00}, {e.High:+0.00;-0.00;±0.00}]");
}
