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
    /// <summary>
    /// Cycle-time distance as Simod reports it: earth mover's distance between the observed and simulated end-to-end
    /// wall-clock times discretised into 1-hour bins, in hours; per replication, as mean and 95% interval.
    /// </summary>
    public Estimate CycleTimeDistanceHours { get; init; } = new(double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// Circadian event-distribution distance as Simod reports it: for each weekday, the earth mover's distance between the
    /// observed and simulated hours of day of the events (23 when only one side has events that day), averaged over
    /// the weekdays with events; per replication, as mean and 95% interval.
    /// </summary>
    public Estimate CircadianDistance { get; init; } = new(double.NaN, double.NaN, double.NaN);

    /// <summary>Whether the back-test is good enough to trust, with the reason.</summary>
    public Trust Trust => Trust.Judge(this);

    /// <summary>Compares a simulated period with what was observed.</summary>
    public static Validation Compare(PeriodOutcome observed, OutcomeEstimate simulated)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(simulated);
        return new Validation(Wasserstein(observed.CycleHours, simulated.CycleHours), KolmogorovSmirnov(observed.CycleHours, simulated.CycleHours),
            Pct(simulated.P50Hours.Mean, observed.P50Hours), Pct(simulated.P90Hours.Mean, observed.P90Hours),
            Pct(simulated.ThroughputPerWeek.Mean, observed.ThroughputPerWeek), Pct(simulated.WorkInProgress.Mean, observed.WorkInProgress),
            NodeErrors(observed.Nodes, simulated.Nodes), NodeErrors(observed.Roles, simulated.Roles))
        {
            CycleTimeDistanceHours = Estimate.Of(simulated.Runs.Select(r => Wasserstein(observed.WallCycleBins, r.WallCycleBins))),
            CircadianDistance = Estimate.Of(simulated.Runs.Select(r => Circadian(observed.Circadian, r.Circadian))),
        };
    }

    /// <summary>Simod's circadian distance of two weekday × hour histograms (index weekday × 24 + hour).</summary>
    public static double Circadian(IReadOnlyList<long> observed, IReadOnlyList<long> simulated)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(simulated);
        var sum = 0.0;
        var days = 0;
        for (var d = 0; d < 7; d++)
        {
            long a = 0, b = 0;
            for (var h = 0; h < 24; h++)
            {
                a += observed[d * 24 + h];
                b += simulated[d * 24 + h];
            }
            if (a == 0 && b == 0)
                continue;
            days++;
            if (a == 0 || b == 0)
            {
                sum += 23;
                continue;
            }
            // Earth mover's distance of two histograms on the hours 0–23: the sum of |F − G| over the bins.
            double fa = 0, fb = 0, area = 0;
            for (var h = 0; h < 23; h++)
            {
                fa += observed[d * 24 + h] / (double)a;
                fb += simulated[d * 24 + h] / (double)b;
                area += Math.Abs(fa - fb);
            }
            sum += area;
        }
        return days == 0 ? double.NaN : sum / days;
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

/// <summary>
/// Whether a back-test is good enough to trust: <c>good</c> when the end-to-end p50 and p90 errors are within 10% and
/// the Kolmogorov–Smirnov distance below 0.1; <c>fair</c> within 25% and below 0.2; <c>poor</c> otherwise.
/// </summary>
/// <param name="Verdict">good, fair or poor.</param>
/// <param name="Reason">Why, in words, with the figures.</param>
public sealed record Trust(string Verdict, string Reason)
{
    /// <summary>Error bound of p50 and p90 (percent) and KS bound for <c>good</c>.</summary>
    public const double GoodPct = 10, GoodKs = 0.1;

    /// <summary>Error bound and KS bound for <c>fair</c>.</summary>
    public const double FairPct = 25, FairKs = 0.2;

    /// <summary>Judges a validation by the thresholds.</summary>
    public static Trust Judge(Validation v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var figures = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"p50 {v.P50ErrorPct:+0.0;-0.0;0.0}%, p90 {v.P90ErrorPct:+0.0;-0.0;0.0}%, KS {v.Ks:F3}");
        if (!double.IsFinite(v.P50ErrorPct) || !double.IsFinite(v.P90ErrorPct) || !double.IsFinite(v.Ks))
            return new Trust("poor", "the held-out window could not be compared (no completed case on one side): " + figures);
        var worst = Math.Max(Math.Abs(v.P50ErrorPct), Math.Abs(v.P90ErrorPct));
        if (worst <= GoodPct && v.Ks < GoodKs)
            return new Trust("good", $"{figures}: within {GoodPct}% and KS below {GoodKs}");
        var misses = new List<string>();
        if (Math.Abs(v.P50ErrorPct) > GoodPct) misses.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p50 off by {v.P50ErrorPct:+0.0;-0.0}%"));
        if (Math.Abs(v.P90ErrorPct) > GoodPct) misses.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p90 off by {v.P90ErrorPct:+0.0;-0.0}%"));
        if (v.Ks >= GoodKs) misses.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"KS {v.Ks:F3}"));
        if (worst <= FairPct && v.Ks < FairKs)
            return new Trust("fair", $"{string.Join(", ", misses)} (good needs {GoodPct}% and KS below {GoodKs}; fair allows {FairPct}% and {FairKs}): read changes as directions and sizes, not to the hour");
        return new Trust("poor", $"{string.Join(", ", misses)}, beyond {FairPct}% or KS {FairKs}: the model does not reproduce the held-out window; do not act on its figures");
    }
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
