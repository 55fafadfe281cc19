using Analytics.Application.Profiles;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage;
using Analytics.Storage.Mining;

namespace Analytics.Application.Mining;

/// <summary>
/// Process mining over the store, read through the profile: business time on its calendar and its side activities
/// left out, unless the request says otherwise; a condition on an attribute the store does not hold is refused.
/// </summary>
public sealed class MiningService(IStoreAccess store)
{
    /// <summary>The directly-follows graph with performance.</summary>
    public Task<Result<Mined<IReadOnlyList<DfgEdge>>>> DirectlyFollowsAsync(MiningRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, (_, miner, filter, calendar, _) => miner.DirectlyFollows(filter, calendar), cancellationToken);

    /// <summary>The map's case summary (for the DOT rendering) beside the graph.</summary>
    public Task<Result<Mined<(IReadOnlyList<DfgEdge> Edges, CaseDurations Cases)>>> MapAsync(MiningRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, (_, miner, filter, calendar, _) => (miner.DirectlyFollows(filter, calendar), miner.Cases(filter, null)), cancellationToken);

    /// <summary>Variants, most frequent first.</summary>
    public Task<Result<Mined<IReadOnlyList<Variant>>>> VariantsAsync(MiningRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, (_, miner, filter, _, _) => miner.Variants(filter), cancellationToken);

    /// <summary>Throughput times of whole cases.</summary>
    public Task<Result<Mined<CaseDurations>>> CasesAsync(MiningRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, (_, miner, filter, calendar, _) => miner.Cases(filter, calendar), cancellationToken);

    /// <summary>Waiting before each node (or role, or resource), a Pareto of waiting.</summary>
    public Task<Result<Mined<IReadOnlyList<NodeLatency>>>> NodesAsync(MiningRequest request, string by, CancellationToken cancellationToken) =>
        RunAsync(request, (_, miner, filter, calendar, _) => by is "node" or "role" or "resource"
            ? miner.Nodes(filter, calendar, by)
            : throw RequestException.Invalid($"--by: '{by}' (node, role or resource)"), cancellationToken);

    /// <summary>Rework and rejection loops; the rejection pattern is the profile's unless given.</summary>
    public Task<Result<Mined<ReworkSummary>>> ReworkAsync(MiningRequest request, string? rejectPattern, CancellationToken cancellationToken) =>
        RunAsync(request, (_, miner, filter, _, profile) => miner.Rework(filter, rejectPattern ?? profile.Profile.RejectPattern), cancellationToken);

    /// <summary>The approval policy's rules checked on the cases in scope.</summary>
    public Task<Result<Mined<IReadOnlyList<RuleResult>>>> ConformanceAsync(MiningRequest request, string policyPath, CancellationToken cancellationToken)
    {
        ApprovalPolicy policy;
        try
        {
            policy = Policies.Load(policyPath);
        }
        catch (RequestException ex)
        {
            return Task.FromResult(Result.Fail<Mined<IReadOnlyList<RuleResult>>>(ex.Kind, ex.Message));
        }
        return RunAsync(request, (s, _, filter, _, _) => new ConformanceChecker(s).Check(policy, filter), cancellationToken);
    }

    private Task<Result<Mined<T>>> RunAsync<T>(MiningRequest request, Func<EventStore, ProcessMiner, MiningFilter, BusinessCalendar?, ActiveProfile, T> work,
        CancellationToken cancellationToken) => store.RunAsync(async s =>
    {
        var profile = ProfileService.Current(s);
        Core.Diagnostics.PhaseTrace.Mark("mine: profile read");
        return await UseCase.RunAsync(() =>
        {
            var miner = new ProcessMiner(s);
            var filter = Filter(request, miner, profile);
            Core.Diagnostics.PhaseTrace.Mark("mine: filter");
            // Business time on the accepted profile's calendar; without an accepted profile, wall clock unless asked.
            var calendar = request.NoCalendar ? null
                : request.Calendar is not null ? Calendars.OrProfile(request.Calendar, profile)
                : profile.Accepted ? profile.Calendar : null;
            cancellationToken.ThrowIfCancellationRequested();
            var value = work(s, miner, filter, calendar, profile);
            Core.Diagnostics.PhaseTrace.Mark("mine: computed");
            return new Mined<T>(value, calendar?.Name, filter.ExcludeActivities);
        }, profile.Notes);
    }, cancellationToken);

    /// <summary>
    /// Refuses a condition that can match nothing by construction: an attribute the store lacks, a value that is not
    /// a finite number against a numeric attribute, or not a yes/no against a boolean one.
    /// </summary>
    internal static void CheckConditions(IReadOnlyList<AttributeCondition> conditions, ProcessMiner miner, string option)
    {
        var types = miner.CaseAttributeTypes();
        foreach (var c in conditions)
        {
            if (!types.TryGetValue(c.Key, out var stored))
                throw RequestException.Invalid($"{option}: no case attribute '{c.Key}' in this store{Suggest.Nearest(c.Key, types.Keys)}; it holds {Suggest.List(types.Keys)}");
            var number = double.TryParse(c.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v);
            if (number && !double.IsFinite(v))
                throw RequestException.Invalid($"{option}: '{c.Value}' is not a finite number");
            if (stored.Count == 1 && stored.Contains("number") && !number)
                throw RequestException.Invalid($"{option}: '{c.Key}' holds numbers in this store, and '{c.Value}' is not one");
            if (stored.Count == 1 && stored.Contains("boolean") && !Core.Routing.RoutingSuggestion.TryBoolean(c.Value, out _))
                throw RequestException.Invalid($"{option}: '{c.Key}' holds yes/no values in this store (true, false), and '{c.Value}' is not one");
            if (c.Operator is "<" or "<=" or ">" or ">=" && stored.Contains("boolean") && !stored.Contains("number"))
                throw RequestException.Invalid($"{option}: '{c.Key}' holds yes/no values; compare it with = or !=");
        }
    }

    private static MiningFilter Filter(MiningRequest request, ProcessMiner miner, ActiveProfile profile)
    {
        var conditions = new List<AttributeCondition>();
        foreach (var w in request.Where)
        {
            try
            {
                conditions.Add(AttributeCondition.Parse(w));
            }
            catch (FormatException ex)
            {
                throw RequestException.Invalid("--where: " + ex.Message);
            }
        }
        if (conditions.Count > 0)
            CheckConditions(conditions, miner, "--where");
        if (request.Activities is { Count: > 0 } activities)
        {
            var known = miner.Activities(MiningFilter.All).ToHashSet(StringComparer.Ordinal);
            foreach (var a in activities.Where(a => !known.Contains(a)))
                throw RequestException.Invalid($"--activities: no activity '{a}' in this store{Suggest.Nearest(a, known)}");
        }
        if (request.FromUtc is { } f && request.ToUtc is { } t && t <= f)
            throw RequestException.Invalid("--to must be later than --from");
        return new MiningFilter
        {
            FromUtc = request.FromUtc,
            ToUtc = request.ToUtc,
            Activities = request.Activities,
            CaseAttributes = conditions,
            ExcludeActivities = request.IncludeSide || request.Activities is { Count: > 0 } ? [] : profile.Profile.SideActivities,
        };
    }
}

/// <summary>What part of the log to mine, and how.</summary>
/// <param name="FromUtc">Cases whose first event is at or after this.</param>
/// <param name="ToUtc">Cases whose first event is before this.</param>
/// <param name="Where">Conditions on case attributes (KEY=VALUE, !=, &lt;, &lt;=, &gt;, &gt;=).</param>
/// <param name="Activities">Activities to keep; null keeps all (but the profile's side activities).</param>
/// <param name="Calendar">A calendar overriding the profile's, or null.</param>
/// <param name="NoCalendar">Wall-clock time only.</param>
/// <param name="IncludeSide">Keep the profile's side activities.</param>
public sealed record MiningRequest(DateTime? FromUtc = null, DateTime? ToUtc = null, IReadOnlyList<string>? Where = null, IReadOnlyList<string>? Activities = null,
    string? Calendar = null, bool NoCalendar = false, bool IncludeSide = false)
{
    /// <summary>The conditions (never null).</summary>
    public IReadOnlyList<string> Where { get; init; } = Where ?? [];
}

/// <summary>A mining answer with how it was computed.</summary>
/// <typeparam name="T">The answer's type.</typeparam>
/// <param name="Value">The answer.</param>
/// <param name="Calendar">The business calendar used, or null for wall clock only.</param>
/// <param name="Excluded">Activities left out as recorded beside the flow.</param>
public sealed record Mined<T>(T Value, string? Calendar, IReadOnlyList<string> Excluded);
