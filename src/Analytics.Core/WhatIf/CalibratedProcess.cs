using Analytics.Core.Calendars;

namespace Analytics.Core.WhatIf;

/// <summary>
/// A simulation model of a process learnt from a log (see <see cref="ProcessCalibrator"/>): arrivals, routing as a
/// second-order Markov chain over activities (the next activity given the last two, falling back to the last one
/// where a pair was seen too rarely), per-activity work or response times, and the approver pools per role.
/// </summary>
/// <remarks>
/// Activities of a <em>pooled</em> role queue for that role's approvers, who work its calendar and take one order at
/// a time, first come first served: waiting emerges from load. Activities of other roles (the case's own requester,
/// systems, placeholders such as a single shared account) are <em>delays</em>: their observed response time is drawn
/// directly. Immutable after calibration.
/// </remarks>
public sealed class CalibratedProcess
{
    internal CalibratedProcess(BusinessCalendar calendar, IReadOnlyList<ActivityModel> activities, IReadOnlyList<RolePool> pools, ArrivalModel arrivals)
    {
        Calendar = calendar;
        Activities = activities;
        Pools = pools;
        Arrivals = arrivals;
        Index = activities.Select((a, i) => (a.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>The calendar durations are measured on (business time), and that pools work unless a role has its own.</summary>
    public BusinessCalendar Calendar { get; }

    /// <summary>The activities, each with its role and time distribution.</summary>
    public IReadOnlyList<ActivityModel> Activities { get; }

    /// <summary>Approver pools by role.</summary>
    public IReadOnlyList<RolePool> Pools { get; }

    /// <summary>Case arrivals.</summary>
    public ArrivalModel Arrivals { get; }

    /// <summary>Start of the training window (UTC, inclusive): cases whose first event lies in it were used.</summary>
    public DateTime TrainFromUtc { get; internal init; }

    /// <summary>End of the training window (UTC, exclusive).</summary>
    public DateTime TrainToUtc { get; internal init; }

    /// <summary>Cases the model was learnt from.</summary>
    public int TrainingCases { get; internal init; }

    /// <summary>Share of training cases that repeat an activity (rework).</summary>
    public double ReworkShare { get; internal init; }

    /// <summary>Share of training cases ending in each activity, most frequent first.</summary>
    public IReadOnlyList<(string Activity, double Share)> Endings { get; internal init; } = [];

    internal IReadOnlyDictionary<string, int> Index { get; }

    /// <summary>First activity of a case: activity index and weight.</summary>
    internal Successors Start { get; init; } = Successors.Empty;

    /// <summary>Next activity given (previous, current) activity indices; -1 as previous for the first event.</summary>
    internal IReadOnlyDictionary<(int Prev, int Cur), Successors> Pairs { get; init; } = new Dictionary<(int, int), Successors>();

    /// <summary>Conditions on case attributes (all must hold) that put an order ahead of the others waiting for approvers; empty for first come, first served.</summary>
    public IReadOnlyList<Mining.AttributeCondition> Priority { get; internal init; } = [];

    /// <summary>The case attribute routing is conditioned on, if any (e.g. <c>controlled</c>).</summary>
    public string? RouteBy { get; internal init; }

    /// <summary>Next activity given the case's <see cref="RouteBy"/> value and (previous, current), where seen often enough.</summary>
    internal IReadOnlyDictionary<(string Segment, int Prev, int Cur), Successors> SegmentPairs { get; init; } = new Dictionary<(string, int, int), Successors>();

    /// <summary>Next activity given the current one only.</summary>
    internal IReadOnlyList<Successors> Singles { get; init; } = [];

    /// <summary>Response time of an activity after a given predecessor (delays), where seen often enough.</summary>
    internal IReadOnlyDictionary<(int Prev, int Cur), DurationDistribution> EdgeDelays { get; init; } = new Dictionary<(int, int), DurationDistribution>();

    /// <summary>Case attributes of the training cases, drawn for simulated cases (scenario segments).</summary>
    internal IReadOnlyList<IReadOnlyDictionary<string, string>> AttributeTemplates { get; init; } = [];

    /// <summary>
    /// The approver pools the simulation queues for: per pooled role one pool, or one per segment of cases where the
    /// role's resources split by a case attribute (see <see cref="PoolDiscovery"/>), each with its size and orders open at once.
    /// </summary>
    public IReadOnlyList<DiscoveredPool> ServerPools { get; internal init; } = [];

    /// <summary>The time of year of delay nodes' response times (month factors), or none with the reason.</summary>
    public Seasonality Seasonality { get; internal init; } = Seasonality.None("not estimated");

    /// <summary>Approvers' own calendars where their availability differs from their role's (given or discovered).</summary>
    public IReadOnlyDictionary<string, BusinessCalendar> ResourceCalendars { get; internal init; } = new Dictionary<string, BusinessCalendar>();

    /// <summary>Distinct activity indices of each training case, to measure the share of cases visiting a node.</summary>
    internal IReadOnlyList<int[]> CaseActivities { get; init; } = [];

    /// <summary>Branching probabilities out of each activity (first-order), most likely first.</summary>
    public IReadOnlyList<(string From, string? To, double Probability)> Branching =>
        [.. Singles.SelectMany((s, i) => s.Next.Select((n, j) => (Activities[i].Name, n < 0 ? null : Activities[n].Name, s.Weights[j] / s.Total)))
            .OrderBy(b => b.Name, StringComparer.Ordinal).ThenByDescending(b => b.Item3)];

    /// <summary>Share of training cases that visit at least one activity matching the predicate.</summary>
    public double ShareVisiting(Func<ActivityModel, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        if (CaseActivities.Count == 0)
            return 0;
        var hit = Activities.Select(predicate).ToArray();
        return CaseActivities.Count(c => c.Any(a => hit[a])) / (double)CaseActivities.Count;
    }
}

/// <summary>An activity of the calibrated model.</summary>
/// <param name="Name">The activity.</param>
/// <param name="Role">The role that performs it (the most frequent; the activity's own name when the log has no roles).</param>
/// <param name="Pooled">Whether it queues for the role's approvers; otherwise it is a delay.</param>
/// <param name="Work">Pooled: the approver's working time per order, business seconds (estimated as the time since the later of the case's previous event and the approver's previous completion). Delay: the response time since the case's previous event.</param>
/// <param name="Count">Occurrences in the training window.</param>
public sealed record ActivityModel(string Name, string Role, bool Pooled, DurationDistribution Work, int Count);

/// <summary>The approvers of one role.</summary>
/// <param name="Role">The role.</param>
/// <param name="Pooled">Whether its activities queue for approvers (named individuals who do not own the cases).</param>
/// <param name="Size">Approvers: the median number active per week in the training window, or as configured.</param>
/// <param name="Resources">Distinct named resources seen.</param>
/// <param name="Configured">Whether <paramref name="Size"/> was configured rather than estimated.</param>
public sealed record RolePool(string Role, bool Pooled, int Size, int Resources, bool Configured);

/// <summary>Weighted successors of a routing context; index -1 ends the case.</summary>
internal sealed record Successors(int[] Next, double[] Weights, double Total, int Observations)
{
    public static Successors Empty { get; } = new([], [], 0, 0);
}
