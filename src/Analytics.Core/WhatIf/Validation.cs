namespace Analytics.Core.WhatIf;

/// <summary>
/// How well a model calibrated on a training window reproduced the window after it. Errors are
/// (simulated − observed) ÷ observed in percent; distances compare the end-to-end time distributions.
/// </summary>
/// <param name="WassersteinHours">First Wasserstein distance between observed and simulated end-to-end business hours (the mean absolute shift between the two quantile functions).</param>
/// <param name="Ks">Kolmogorov–Smirnov distance between the two distributions, 0–1.</param>
/// <param name="P50ErrorPct">Error of the median end-to-end time.</param>
/// <param name="P90ErrorPct">Error of the 90th percentile.</param>
/// <param name="ThroughputErrorPct">Error of cases completed per week.</param>
/// <param name="WorkInProgressErrorPct">Error of the mean number of open cases.</param>
/// <param name="Nodes">Per activity: observed and simulated waiting.</param>
/// <param name="Roles">Per role: observed and simulated waiting.</param>
public sealed record Validation(double WassersteinHours, double Ks, double P50ErrorPct, double P90ErrorPct, double ThroughputErrorPct, double WorkInProgressErrorPct,
    IReadOnlyList<NodeValidation> Nodes, IReadOnlyList<NodeValidation> Roles)
{
    /// <summary>Compares a simulated period with what was observed.</summary>
    public static Validation Compare(PeriodOutcome observed, OutcomeEstimate simulated)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(simulated);
        return new Validation(Wasserstein(observed.CycleHours, simulated.CycleHours), KolmogorovSmirnov(observed.CycleHours, simulated.CycleHours),
            Pct(simulated.P50Hours.Mean, observed.P50Hours), Pct(simulated.P90Hours.Mean, observed.P90Hours),
            Pct(simulated.ThroughputPerWeek.Mean, observed.ThroughputPerWeek), Pct(simulated.WorkInProgress.Mean, observed.WorkInProgress),
            NodeErrors(observed.Nodes, simulated.Nodes), NodeErrors(observed.Roles, simulated.Roles));
    }

    /// <summary>First Wasserstein distance of two samples: the integral of |F − G|.</summary>
    /// <param name="a">Ascending.</param>
    /// <param name="b">Ascending.</param>
    public static double Wasserstein(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
            return double.NaN;
        int i = 0, j = 0;
        var x = Math.Min(a[0], b[0]);
        var area = 0.0;
        while (i < a.Count || j < b.Count)
        {
            var next = j >= b.Count || (i < a.Count && a[i] <= b[j]) ? a[i] : b[j];
            area += Math.Abs((double)i / a.Count - (double)j / b.Count) * (next - x);
            x = next;
            while (i < a.Count && a[i] == next) i++;
            while (j < b.Count && b[j] == next) j++;
        }
        return area;
    }

    /// <summary>Two-sample Kolmogorov–Smirnov distance: the largest gap between the two empirical distribution functions.</summary>
    /// <param name="a">Ascending.</param>
    /// <param name="b">Ascending.</param>
    public static double KolmogorovSmirnov(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
            return double.NaN;
        int i = 0, j = 0;
        var d = 0.0;
        while (i < a.Count && j < b.Count)
        {
            var next = Math.Min(a[i], b[j]);
            while (i < a.Count && a[i] == next) i++;
            while (j < b.Count && b[j] == next) j++;
            d = Math.Max(d, Math.Abs((double)i / a.Count - (double)j / b.Count));
        }
        return d;
    }

    private static List<NodeValidation> NodeErrors(IReadOnlyList<NodeWait> observed, IReadOnlyList<NodeEstimate> simulated) =>
        [.. observed.OrderByDescending(o => o.Count).ThenBy(o => o.Node, StringComparer.Ordinal).Select(o =>
        {
            var s = simulated.FirstOrDefault(n => n.Node == o.Node);
            return new NodeValidation(o.Node, o.Count, s?.Count.Mean ?? 0, o.P50WaitHours, s?.P50WaitHours.Mean ?? double.NaN, Pct(s?.P50WaitHours.Mean ?? double.NaN, o.P50WaitHours),
                o.P90WaitHours, s?.P90WaitHours.Mean ?? double.NaN, Pct(s?.P90WaitHours.Mean ?? double.NaN, o.P90WaitHours));
        })];

    private static double Pct(double simulated, double observed) => observed == 0 ? (simulated == 0 ? 0 : double.NaN) : (simulated - observed) / observed * 100;
}

/// <summary>Observed against simulated waiting before one node, business hours.</summary>
/// <param name="Node">Activity or role.</param>
/// <param name="ObservedCount">Occurrences observed.</param>
/// <param name="SimulatedCount">Occurrences per replication.</param>
/// <param name="ObservedP50Hours">Observed median wait.</param>
/// <param name="SimulatedP50Hours">Simulated median wait.</param>
/// <param name="P50ErrorPct">Error of the median.</param>
/// <param name="ObservedP90Hours">Observed 90th percentile.</param>
/// <param name="SimulatedP90Hours">Simulated 90th percentile.</param>
/// <param name="P90ErrorPct">Error of the 90th percentile.</param>
public sealed record NodeValidation(string Node, int ObservedCount, double SimulatedCount, double ObservedP50Hours, double SimulatedP50Hours, double P50ErrorPct,
    double ObservedP90Hours, double SimulatedP90Hours, double P90ErrorPct);
