using System.Globalization;
using System.Text.Json;
using Analytics.Application.Profiles;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Profiles;
using Analytics.Core.WhatIf;
using Analytics.Storage;
using Analytics.Storage.Mining;
using Analytics.Storage.Routing;

namespace Analytics.Application.WhatIf;

/// <summary>
/// Calibrates a simulation of the process from the store, back-tests it on a held-out window, and runs a scenario
/// against the baseline. What the request leaves open comes from the process profile, and the answer says what.
/// </summary>
public sealed class WhatIfService(IStoreAccess store)
{
    /// <summary>Reads what the analysis needs with the store held, then simulates without it.</summary>
    public async Task<Result<WhatIfDocument>> RunAsync(WhatIfRequest request, WhatIfScenario? scenario, CancellationToken cancellationToken)
    {
        var input = await LoadAsync(request, scenario, cancellationToken);
        if (!input.Succeeded)
            return Result.Fail<WhatIfDocument>(input.Problem!.Kind, input.Problem.Message, input.Notes);
        var answer = await Task.Run(() => Analyse(request, input.Value!, cancellationToken), cancellationToken);
        return answer.WithNotes(input.Notes);
    }

    /// <summary>The store's part: the cases, the profile's defaults, and the routing model's recall where the scenario needs it. Quick, so the worker's API holds the store only for this.</summary>
    public Task<Result<WhatIfInput>> LoadAsync(WhatIfRequest request, WhatIfScenario? scenario, CancellationToken cancellationToken) => store.RunAsync(async s =>
    {
        var profile = ProfileService.Current(s);
        return await UseCase.RunAsync(() => Load(s, profile, request, scenario, cancellationToken), profile.Notes);
    }, cancellationToken);

    /// <summary>The simulation's part, without the store.</summary>
    public static Result<WhatIfDocument> Analyse(WhatIfRequest request, WhatIfInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            if (input.Scenario is not { } scenario)
                return Result.Ok(new WhatIfDocument(input.Options.Calendar.Name, WhatIfAnalysis.BackTest(input.Traces, input.Options, cancellationToken), null) { Assumptions = input.Assumptions });
            var result = WhatIfAnalysis.Run(input.Traces, scenario, input.Options, cancellationToken);
            return Result.Ok(new WhatIfDocument(input.Options.Calendar.Name, result.BackTest, result) { Assumptions = input.Assumptions });
        }
        catch (ArgumentException ex)
        {
            return Result.Fail<WhatIfDocument>(ProblemKind.Invalid, "whatif: " + ex.Message);
        }
    }

    private static WhatIfInput Load(EventStore s, ActiveProfile active, WhatIfRequest request, WhatIfScenario? scenario, CancellationToken cancellationToken)
    {
        var profile = active.Profile;
        var assumptions = new List<string>();
        var calendar = Calendars.OrProfile(request.Calendar, active);
        if (request.Calendar is null)
            assumptions.Add($"calendar {calendar.Name} (profile)");
        var exclude = request.Exclude ?? profile.SideActivities;
        if (request.Exclude is null && exclude.Count > 0)
            assumptions.Add($"left out as side activities: {string.Join(", ", exclude)} (profile)");
        var routeBy = request.RouteBy ?? profile.Review?.RouteBy;
        if (request.RouteBy is null && routeBy is not null)
            assumptions.Add($"routing conditioned on '{routeBy}' (profile's review node)");
        var pooled = request.Pooled ?? profile.Roles.Where(r => r.Value == RoleKind.Pool).Select(r => r.Key).ToList();
        var delay = request.Delay ?? profile.Roles.Where(r => r.Value != RoleKind.Pool).Select(r => r.Key).ToList();
        if (request.Pooled is null && request.Delay is null && profile.Roles.Count > 0)
            assumptions.Add($"roles from the profile: pools {Names(pooled)}; delays {Names(delay)}");
        var sla = request.SlaHours ?? scenario?.SlaHours ?? profile.Sla.CaseHours;
        var miner = new ProcessMiner(s);
        if (request.Where.Count > 0)
            Mining.MiningService.CheckConditions(request.Where, miner, "--where");
        if (request.Priority.Count > 0)
            Mining.MiningService.CheckConditions(request.Priority, miner, "--priority");
        if (routeBy is { Length: > 0 } && !miner.CaseAttributeKeys().ContainsKey(routeBy))
            throw RequestException.Invalid($"--route-by: no case attribute '{routeBy}' in this store{Suggest.Nearest(routeBy, miner.CaseAttributeKeys().Keys)}");
        var traces = miner.Traces(new MiningFilter { CaseAttributes = request.Where, CompletionsOnly = true }, cancellationToken);
        if (miner.HasLifecycleTransitions())
            assumptions.Add("the log records start/schedule transitions: each activity's completions are simulated, its other transitions left out");
        if (traces.Count == 0)
            throw RequestException.NotFound("whatif: the store holds no cases" + (request.Where.Count > 0 ? " matching the conditions" : "") + "; ingest a log first");
        // The profile's roles, kept to those the cases in scope still have (a role whose activities are all side
        // activities, like the CRM's, is no pool and no delay here); roles given on the command line stay as given.
        var present = traces.SelectMany(t => t.Events).Where(e => e.Role is not null && !exclude.Contains(e.Activity)).Select(e => e.Role!).ToHashSet(StringComparer.Ordinal);
        if (request.Pooled is null)
            pooled = [.. pooled.Where(present.Contains)];
        if (request.Delay is null)
            delay = [.. delay.Where(present.Contains)];
        if (scenario?.Review is { Policy: "model", Recall: null } review)
            scenario = scenario with { Review = review with { Recall = ModelRecall(s, review.Share) } };
        var options = new WhatIfOptions
        {
            Calendar = calendar,
            TrainFromUtc = request.Train.From,
            TrainToUtc = request.Train.To,
            TestFromUtc = request.Test.From,
            TestToUtc = request.Test.To,
            ExcludeActivities = exclude.ToHashSet(StringComparer.Ordinal),
            PoolSizes = request.Pools,
            PooledRoles = pooled.ToHashSet(StringComparer.Ordinal),
            DelayRoles = delay.ToHashSet(StringComparer.Ordinal),
            RouteBy = routeBy is { Length: > 0 } ? routeBy : null,
            Priority = request.Priority,
            Replications = request.Replications,
            Seed = request.Seed,
            SlaHours = sla,
            HorizonDays = request.HorizonDays,
            HorizonFromUtc = request.HorizonFrom,
            WarmupDays = request.WarmupDays,
        };
        if (!(request.Replications is >= 1 and <= 1000))
            throw RequestException.Invalid("--replications must be from 1 to 1000");
        if (!(request.HorizonDays is >= 1 and <= 3650))
            throw RequestException.Invalid("--horizon-days must be from 1 to 3650");
        if (!(request.WarmupDays is >= 0 and <= 365))
            throw RequestException.Invalid("--warmup-days must be from 0 to 365");
        return new WhatIfInput(options, traces, scenario, assumptions);
    }

    private static string Names(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    /// <summary>The active routing model's test recall at a review ratio, interpolated between the ratios it was measured at.</summary>
    private static double ModelRecall(EventStore s, double share)
    {
        var active = new ModelRegistry(s).Active()
            ?? throw RequestException.Invalid("whatif: review.policy 'model' without a 'recall' needs an active routing model (analytics train) to take the recall from");
        using var metrics = JsonDocument.Parse(active.Metrics);
        if (!metrics.RootElement.TryGetProperty("recallAtReviewRatio", out var table))
            throw RequestException.Invalid($"whatif: model version {active.Version} has no recall-at-review-ratio table; give review.recall");
        var points = table.EnumerateObject().Select(p => (Ratio: double.Parse(p.Name, CultureInfo.InvariantCulture), Recall: p.Value.GetDouble())).OrderBy(p => p.Ratio).ToList();
        if (points.Count == 0)
            throw RequestException.Invalid($"whatif: model version {active.Version} has an empty recall table; give review.recall");
        if (share <= points[0].Ratio)
            return points[0].Recall * share / points[0].Ratio;
        for (var i = 1; i < points.Count; i++)
            if (share <= points[i].Ratio)
                return points[i - 1].Recall + (points[i].Recall - points[i - 1].Recall) * (share - points[i - 1].Ratio) / (points[i].Ratio - points[i - 1].Ratio);
        return points[^1].Recall;
    }

    /// <summary>Reads a scenario file; calendar references are built-in names or paths relative to the file.</summary>
    public static Result<WhatIfScenario> ReadScenario(string path)
    {
        if (Directory.Exists(path))
            return Result.Fail<WhatIfScenario>(ProblemKind.Invalid, $"--scenario: {path} is a folder; give the scenario's JSON file");
        if (!File.Exists(path))
            return Result.Fail<WhatIfScenario>(ProblemKind.Invalid, $"--scenario: no file '{path}' (examples in data-samples/scenarios/)");
        using var stream = File.OpenRead(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            return Result.Ok(WhatIfScenario.Parse(stream, path, name => Calendars.Resolve(name, folder)));
        }
        catch (FormatException ex)
        {
            return Result.Fail<WhatIfScenario>(ProblemKind.Invalid, ex.Message);
        }
    }
}

/// <summary>What a what-if analysis reads from the store.</summary>
/// <param name="Options">The simulation's options, defaults filled from the profile.</param>
/// <param name="Traces">The cases.</param>
/// <param name="Scenario">The scenario, or null for a calibration and back-test only.</param>
/// <param name="Assumptions">What the profile supplied.</param>
public sealed record WhatIfInput(WhatIfOptions Options, IReadOnlyList<CaseTrace> Traces, WhatIfScenario? Scenario, IReadOnlyList<string> Assumptions);
