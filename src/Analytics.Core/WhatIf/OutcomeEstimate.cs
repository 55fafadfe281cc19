namespace Analytics.Core.WhatIf;

/// <summary>The measures of a <see cref="PeriodOutcome"/> over simulation replications, each with its interval.</summary>
/// <param name="Replications">Replications run.</param>
/// <param name="Cases">Cases started in the period.</param>
/// <param name="P50Hours">Median end-to-end business hours.</param>
/// <param name="P90Hours">90th percentile of end-to-end business hours.</param>
/// <param name="MeanHours">Mean end-to-end business hours.</param>
/// <param name="ThroughputPerWeek">Cases completed per week.</param>
/// <param name="WorkInProgress">Mean open cases.</param>
/// <param name="SlaAttainment">Share within the SLA, when one is given.</param>
/// <param name="Nodes">Waiting per activity.</param>
/// <param name="Roles">Waiting per role.</param>
/// <param name="Utilisation">Approver utilisation per pooled role.</param>
public sealed record OutcomeEstimate(int Replications, Estimate Cases, Estimate P50Hours, Estimate P90Hours, Estimate MeanHours, Estimate ThroughputPerWeek,
    Estimate WorkInProgress, Estimate? SlaAttainment, IReadOnlyList<NodeEstimate> Nodes, IReadOnlyList<NodeEstimate> Roles, IReadOnlyList<PoolEstimate> Utilisation)
{
    /// <summary>Pooled end-to-end hours of all replications, ascending.</summary>
    internal double[] CycleHours { get; init; } = [];

    /// <summary>The replications themselves (for per-replication distances).</summary>
    internal IReadOnlyList<PeriodOutcome> Runs { get; init; } = [];

    /// <summary>Share of cases visiting each node, by name.</summary>
    public IReadOnlyDictionary<string, Estimate> VisitShare { get; init; } = new Dictionary<string, Estimate>();

    /// <summary>Summarises replications.</summary>
    public static OutcomeEstimate Of(IReadOnlyList<PeriodOutcome> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Estimate E(Func<PeriodOutcome, double> f) => Estimate.Of(runs.Select(f));
        return new OutcomeEstimate(runs.Count, E(r => r.Cases), E(r => r.P50Hours), E(r => r.P90Hours), E(r => r.MeanHours), E(r => r.ThroughputPerWeek),
            E(r => r.WorkInProgress), runs.Count > 0 && runs[0].SlaAttainment is not null ? E(r => r.SlaAttainment ?? double.NaN) : null,
            NodeEstimates(runs, r => r.Nodes), NodeEstimates(runs, r => r.Roles),
            [.. runs.SelectMany(r => r.Utilisation).GroupBy(u => u.Role, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new PoolEstimate(g.Key, g.First().Approvers, Estimate.Of(g.Select(u => u.Utilisation))))])
        {
            CycleHours = [.. runs.SelectMany(r => r.CycleHours).Order()],
            Runs = runs,
            VisitShare = runs.SelectMany(r => r.VisitShare.Keys).Distinct(StringComparer.Ordinal)
                .ToDictionary(k => k, k => Estimate.Of(runs.Select(r => r.VisitShare.GetValueOrDefault(k))), StringComparer.Ordinal),
        };
    }

    private static List<NodeEstimate> NodeEstimates(IReadOnlyList<PeriodOutcome> runs, Func<PeriodOutcome, IReadOnlyList<NodeWait>> select)
    {
        var names = runs.SelectMany(r => select(r).Select(n => n.Node)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return [.. names.Select(name =>
        {
            var waits = runs.Select(r => select(r).FirstOrDefault(n => n.Node == name)).ToList();
            return new NodeEstimate(name, Estimate.Of(waits.Select(w => (double)(w?.Count ?? 0))),
                Estimate.Of(waits.Select(w => w?.MeanWaitHours ?? double.NaN)),
                Estimate.Of(waits.Select(w => w?.P50WaitHours ?? double.NaN)),
                Estimate.Of(waits.Select(w => w?.P90WaitHours ?? double.NaN)));
        })];
    }
}

/// <summary>Waiting before a node over replications.</summary>
/// <param name="Node">Activity or role.</param>
/// <param name="Count">Occurrences per replication.</param>
/// <param name="MeanWaitHours">Mean wait, business hours.</param>
/// <param name="P50WaitHours">Median wait.</param>
/// <param name="P90WaitHours">90th percentile of the wait.</param>
public sealed record NodeEstimate(string Node, Estimate Count, Estimate MeanWaitHours, Estimate P50WaitHours, Estimate P90WaitHours);

/// <summary>Utilisation of a pool over replications.</summary>
/// <param name="Role">The role.</param>
/// <param name="Approvers">Pool size.</param>
/// <param name="Utilisation">Busy share, 0–1.</param>
public sealed record PoolEstimate(string Role, int Approvers, Estimate Utilisation);
