using System.Globalization;
using System.Text.Json;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.WhatIf;
using Analytics.Storage;
using Analytics.Storage.Mining;
using Analytics.Storage.Routing;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics whatif calibrate|run</c>: calibrate a simulation model from the store and back-test it on a held-out
/// window; run a scenario file against the baseline. The same request can come over HTTP (<c>POST /api/whatif</c>).
/// </summary>
internal static class WhatIfVerb
{
    public static int Run(CommandLine line, VerbContext context, CancellationToken cancellationToken)
    {
        line.Allow("train", "test", "calendar", "exclude", "pool", "pooled", "delay", "route-by", "priority", "replications", "seed", "sla", "where", "scenario", "horizon-days", "horizon-from", "warmup-days");
        var what = line.Positionals.Count > 0 ? line.Positionals[0] : throw new UsageException("whatif needs calibrate or run");
        var request = WhatIfRequest.FromCommandLine(line);
        WhatIfScenario? scenario = null;
        if (what == "run")
            scenario = ReadScenario(line.Required("scenario"));
        else if (what != "calibrate")
            throw new UsageException($"whatif: unknown '{what}' (calibrate, run)");
        using var store = context.OpenStore();
        if (!Console.IsErrorRedirected)
            Console.Error.WriteLine($"calibrating and simulating {request.Replications} replications{(scenario is null ? "" : " each of baseline and scenario")}…");
        var document = request.Execute(store, scenario, cancellationToken);
        if (line.Json)
            JsonOutput.Write(document.ToJson());
        else
            Print(document);
        return ExitCodes.Ok;
    }

    /// <summary>Reads a scenario file; calendar references are built-in names or paths relative to the file.</summary>
    public static WhatIfScenario ReadScenario(string path)
    {
        if (!File.Exists(path))
            throw new UsageException($"--scenario: no file '{path}'");
        using var stream = File.OpenRead(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            return WhatIfScenario.Parse(stream, path, name => ResolveCalendar(name, folder));
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    internal static BusinessCalendar ResolveCalendar(string name, string? folder)
    {
        if (BuiltInCalendars.TryGet(name, out var builtIn))
            return builtIn;
        var path = folder is null || Path.IsPathRooted(name) ? name : Path.Combine(folder, name);
        try
        {
            return CalendarOption.Resolve(File.Exists(path) ? path : name);
        }
        catch (UsageException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    private static void Print(WhatIfDocument d)
    {
        var b = d.BackTest;
        var v = b.Validation;
        Console.WriteLine($"back-test: trained on {b.TrainCases:N0} cases ({b.TrainFromUtc:yyyy-MM-dd}..{b.TrainToUtc:yyyy-MM-dd}), simulated {b.TestFromUtc:yyyy-MM-dd}..{b.TestToUtc:yyyy-MM-dd} ({b.TestCases:N0} cases observed), business hours on {d.Calendar}");
        Console.WriteLine($"  end-to-end: Wasserstein {v.WassersteinHours:F2} h, KS {v.Ks:F3}; p50 {b.Observed.P50Hours:F1} h vs {b.Simulated.P50Hours.Mean:F1} h ({v.P50ErrorPct:+0.0;-0.0}%), p90 {b.Observed.P90Hours:F1} h vs {b.Simulated.P90Hours.Mean:F1} h ({v.P90ErrorPct:+0.0;-0.0}%), throughput error {v.ThroughputErrorPct:+0.0;-0.0}%");
        var r0 = b.ReplayValidation;
        Console.WriteLine($"  given the window's real arrivals: Wasserstein {r0.WassersteinHours:F2} h, KS {r0.Ks:F3}; p50 error {r0.P50ErrorPct:+0.0;-0.0}%, p90 error {r0.P90ErrorPct:+0.0;-0.0}%, throughput error {r0.ThroughputErrorPct:+0.0;-0.0}%");
        Console.WriteLine("  waiting before each node, observed vs simulated:");
        foreach (var n in v.Roles.Concat(v.Nodes).Where(n => n.ObservedCount >= 30))
            Console.WriteLine($"  {n.Node,-32} wait p50 {n.ObservedP50Hours,7:F2} h vs {n.SimulatedP50Hours,7:F2} h ({n.P50ErrorPct,6:+0.0;-0.0}%)   p90 {n.ObservedP90Hours,7:F2} h vs {n.SimulatedP90Hours,7:F2} h ({n.P90ErrorPct,6:+0.0;-0.0}%)");
        if (d.Result is not { } r)
            return;
        Console.WriteLine();
        Console.WriteLine($"scenario '{r.Scenario.Name}': {r.FromUtc:yyyy-MM-dd}..{r.ToUtc:yyyy-MM-dd}, {r.Baseline.Replications} replications (95% intervals)");
        Console.WriteLine($"  p50 end-to-end {r.Baseline.P50Hours.Mean:F1} h → {r.Outcome.P50Hours.Mean:F1} h, change {Change(r.Delta.P50Hours)}");
        Console.WriteLine($"  p90 end-to-end {r.Baseline.P90Hours.Mean:F1} h → {r.Outcome.P90Hours.Mean:F1} h, change {Change(r.Delta.P90Hours)}");
        if (r.Baseline.SlaAttainment is { } before && r.Outcome.SlaAttainment is { } after)
            Console.WriteLine($"  SLA attainment {before.Mean:P1} → {after.Mean:P1}");
        foreach (var n in r.Delta.Roles)
        {
            var was = r.Baseline.Roles.FirstOrDefault(x => x.Node == n.Node);
            var now = r.Outcome.Roles.FirstOrDefault(x => x.Node == n.Node);
            Console.WriteLine($"  {n.Node,-24} p90 wait {was?.P90WaitHours.Mean ?? double.NaN,7:F2} h → {now?.P90WaitHours.Mean ?? double.NaN,7:F2} h, change {Change(n.P90WaitHours)}");
        }
        foreach (var u in r.Outcome.Utilisation)
            Console.WriteLine($"  {u.Role,-24} {u.Approvers} approvers, utilisation {r.Baseline.Utilisation.FirstOrDefault(x => x.Role == u.Role)?.Utilisation.Mean ?? double.NaN:P0} → {u.Utilisation.Mean:P0}");
    }

    private static string Change(Estimate e) => string.Create(CultureInfo.InvariantCulture, $"{e.Mean:+0.00;-0.00} h [{e.Low:+0.00;-0.00}, {e.High:+0.00;-0.00}]");
}

/// <summary>What a what-if call asks for, from the command line or an HTTP body.</summary>
internal sealed record WhatIfRequest
{
    public string Calendar { get; init; } = "utc-weekdays-9-17";
    public (DateTime? From, DateTime? To) Train { get; init; }
    public (DateTime? From, DateTime? To) Test { get; init; }
    public IReadOnlyList<string> Exclude { get; init; } = [];
    public IReadOnlyDictionary<string, int> Pools { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<string> Pooled { get; init; } = [];
    public IReadOnlyList<string> Delay { get; init; } = [];
    public string? RouteBy { get; init; }
    public IReadOnlyList<AttributeCondition> Priority { get; init; } = [];
    public IReadOnlyList<AttributeCondition> Where { get; init; } = [];
    public int Replications { get; init; } = 10;
    public int Seed { get; init; } = 1;
    public double? SlaHours { get; init; }
    public int HorizonDays { get; init; } = 365;
    public DateTime? HorizonFrom { get; init; }
    public int WarmupDays { get; init; } = 30;

    public static WhatIfRequest FromCommandLine(CommandLine line)
    {
        var pools = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in line.Options("pool"))
        {
            var parts = p.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var size) || size < 1)
                throw new UsageException($"--pool: '{p}' is not ROLE=SIZE with a size of at least 1");
            pools[parts[0]] = size;
        }
        return new WhatIfRequest
        {
            Calendar = line.Option("calendar") ?? "utc-weekdays-9-17",
            Train = Window(line.Option("train"), "train"),
            Test = Window(line.Option("test"), "test"),
            Exclude = List(line.Option("exclude")),
            Pools = pools,
            Pooled = List(line.Option("pooled")),
            Delay = List(line.Option("delay")),
            RouteBy = line.Option("route-by"),
            Priority = line.Options("priority").Select(Condition).ToList(),
            Where = MineVerb.Filter(line).CaseAttributes,
            Replications = Positive(line.Int("replications", 10), "replications", 1000),
            Seed = line.Int("seed", 1),
            SlaHours = line.Option("sla") is { } sla ? double.Parse(sla, CultureInfo.InvariantCulture) : null,
            HorizonDays = Positive(line.Int("horizon-days", 365), "horizon-days", 3650),
            HorizonFrom = MineVerb.Instant(line.Option("horizon-from"), "horizon-from"),
            WarmupDays = line.Int("warmup-days", 30),
        };
    }

    /// <summary>The HTTP body: <c>{"scenario": {…}, "replications", "calendar", "train": "FROM..TO", "test", "exclude": [], "pools": {}, "slaHours", "horizonDays"}</c>.</summary>
    public static (WhatIfRequest Request, WhatIfScenario Scenario) FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new UsageException("the body must be a JSON object with a 'scenario'");
        var known = new HashSet<string>(StringComparer.Ordinal) { "scenario", "replications", "seed", "calendar", "train", "test", "exclude", "pools", "pooled", "delay", "routeBy", "priority", "slaHours", "horizonDays", "horizonFrom", "warmupDays" };
        foreach (var p in body.EnumerateObject())
            if (!known.Contains(p.Name))
                throw new UsageException($"unknown field '{p.Name}' (known: {string.Join(", ", known)})");
        if (!body.TryGetProperty("scenario", out var s))
            throw new UsageException("the body needs a 'scenario' object (the format of data-samples/scenarios/*.json)");
        WhatIfScenario scenario;
        try
        {
            scenario = WhatIfScenario.Parse(s, "scenario", name => WhatIfVerb.ResolveCalendar(name, null));
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
        string? Text(string name) => body.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : throw new UsageException($"'{name}' must be text")) : null;
        int Int(string name, int fallback, int max) => body.TryGetProperty(name, out var v)
            ? (v.TryGetInt32(out var i) && i >= 1 && i <= max ? i : throw new UsageException($"'{name}' must be a whole number from 1 to {max}")) : fallback;
        IReadOnlyList<string> Strings(string name) => body.TryGetProperty(name, out var v)
            ? (v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString() ?? "")] : throw new UsageException($"'{name}' must be a list")) : [];
        var pools = new Dictionary<string, int>(StringComparer.Ordinal);
        if (body.TryGetProperty("pools", out var ps))
            foreach (var p in ps.EnumerateObject())
                pools[p.Name] = p.Value.TryGetInt32(out var size) && size >= 1 ? size : throw new UsageException($"pools.{p.Name} must be a size of at least 1");
        var request = new WhatIfRequest
        {
            Calendar = Text("calendar") ?? "utc-weekdays-9-17",
            Train = Window(Text("train"), "train"),
            Test = Window(Text("test"), "test"),
            Exclude = Strings("exclude"),
            Pools = pools,
            Pooled = Strings("pooled"),
            Delay = Strings("delay"),
            RouteBy = Text("routeBy"),
            Priority = Strings("priority").Select(Condition).ToList(),
            Replications = Int("replications", 10, 200),
            Seed = body.TryGetProperty("seed", out var seed) && seed.TryGetInt32(out var sd) ? sd : 1,
            SlaHours = body.TryGetProperty("slaHours", out var sla)
                ? (sla.TryGetDouble(out var h) && h > 0 ? h : throw new UsageException("'slaHours' must be a positive number of business hours"))
                : null,
            HorizonDays = Int("horizonDays", 365, 3650),
            HorizonFrom = MineVerb.Instant(Text("horizonFrom"), "horizonFrom"),
            WarmupDays = Int("warmupDays", 30, 365),
        };
        return (request, scenario);
    }

    /// <summary>Reads the cases, back-tests, and (with a scenario) runs baseline against scenario.</summary>
    public WhatIfDocument Execute(EventStore store, WhatIfScenario? scenario, CancellationToken cancellationToken)
    {
        var input = Load(store, scenario, cancellationToken);
        return Analyse(input, cancellationToken);
    }

    /// <summary>The store's part: the cases, and the routing model's recall where the scenario needs it. Quick, so the API holds the store only for this.</summary>
    public WhatIfInput Load(EventStore store, WhatIfScenario? scenario, CancellationToken cancellationToken)
    {
        var calendar = CalendarOption.Resolve(Calendar);
        var traces = new ProcessMiner(store).Traces(new MiningFilter { CaseAttributes = Where }, cancellationToken);
        if (traces.Count == 0)
            throw new UsageException("whatif: the store holds no cases" + (Where.Count > 0 ? " matching the conditions" : "") + "; ingest a log first");
        if (scenario?.Review is { Policy: "model", Recall: null } review)
            scenario = scenario with { Review = review with { Recall = ModelRecall(store, review.Share) } };
        return new WhatIfInput(calendar, traces, scenario);
    }

    /// <summary>The simulation's part, without the store.</summary>
    public WhatIfDocument Analyse(WhatIfInput input, CancellationToken cancellationToken)
    {
        var options = new WhatIfOptions
        {
            Calendar = input.Calendar,
            TrainFromUtc = Train.From,
            TrainToUtc = Train.To,
            TestFromUtc = Test.From,
            TestToUtc = Test.To,
            ExcludeActivities = Exclude.ToHashSet(StringComparer.Ordinal),
            PoolSizes = Pools,
            PooledRoles = Pooled.ToHashSet(StringComparer.Ordinal),
            DelayRoles = Delay.ToHashSet(StringComparer.Ordinal),
            RouteBy = RouteBy,
            Priority = Priority,
            Replications = Replications,
            Seed = Seed,
            SlaHours = SlaHours,
            HorizonDays = HorizonDays,
            HorizonFromUtc = HorizonFrom,
            WarmupDays = WarmupDays,
        };
        try
        {
            if (input.Scenario is not { } scenario)
                return WhatIfDocument.Of(input.Calendar.Name, WhatIfAnalysis.BackTest(input.Traces, options, cancellationToken), null);
            var result = WhatIfAnalysis.Run(input.Traces, scenario, options, cancellationToken);
            return WhatIfDocument.Of(input.Calendar.Name, result.BackTest, result);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("whatif: " + ex.Message);
        }
    }

    /// <summary>The active routing model's test recall at a review ratio, interpolated between the ratios it was measured at.</summary>
    private static double ModelRecall(EventStore store, double share)
    {
        var active = new ModelRegistry(store).Active()
            ?? throw new UsageException("whatif: review.policy 'model' without a 'recall' needs an active routing model (analytics train) to take the recall from");
        using var metrics = JsonDocument.Parse(active.Metrics);
        if (!metrics.RootElement.TryGetProperty("recallAtReviewRatio", out var table))
            throw new UsageException($"whatif: model version {active.Version} has no recall-at-review-ratio table; give review.recall");
        var points = table.EnumerateObject().Select(p => (Ratio: double.Parse(p.Name, CultureInfo.InvariantCulture), Recall: p.Value.GetDouble())).OrderBy(p => p.Ratio).ToList();
        if (points.Count == 0)
            throw new UsageException($"whatif: model version {active.Version} has an empty recall table; give review.recall");
        if (share <= points[0].Ratio)
            return points[0].Recall * share / points[0].Ratio;
        for (var i = 1; i < points.Count; i++)
            if (share <= points[i].Ratio)
                return points[i - 1].Recall + (points[i].Recall - points[i - 1].Recall) * (share - points[i - 1].Ratio) / (points[i].Ratio - points[i - 1].Ratio);
        return points[^1].Recall;
    }

    private static (DateTime?, DateTime?) Window(string? text, string option)
    {
        if (text is null)
            return (null, null);
        var parts = text.Split("..", 2);
        if (parts.Length != 2)
            throw new UsageException($"--{option}: '{text}' is not FROM..TO (e.g. 2024-01-01..2025-07-01; either side may be empty)");
        var from = parts[0].Length == 0 ? null : MineVerb.Instant(parts[0], option);
        var to = parts[1].Length == 0 ? null : MineVerb.Instant(parts[1], option);
        if (from is not null && to is not null && to <= from)
            throw new UsageException($"--{option}: '{text}' ends before it starts");
        return (from, to);
    }

    private static AttributeCondition Condition(string text)
    {
        try
        {
            return AttributeCondition.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UsageException("priority: " + ex.Message);
        }
    }

    private static List<string> List(string? text) => text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList() ?? [];

    private static int Positive(int value, string option, int max) =>
        value >= 1 && value <= max ? value : throw new UsageException($"--{option} must be from 1 to {max}");
}

/// <summary>What a what-if analysis reads from the store.</summary>
internal sealed record WhatIfInput(BusinessCalendar Calendar, IReadOnlyList<CaseTrace> Traces, WhatIfScenario? Scenario);
