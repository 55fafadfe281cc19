namespace Analytics.Core.Mining;

/// <summary>Summary of a set of durations, in seconds. Percentiles interpolate linearly (numpy's default, R type 7).</summary>
/// <param name="Count">Number of durations.</param>
/// <param name="MeanSeconds">Arithmetic mean.</param>
/// <param name="MedianSeconds">50th percentile.</param>
/// <param name="P90Seconds">90th percentile.</param>
/// <param name="P95Seconds">95th percentile.</param>
/// <param name="MinSeconds">Smallest.</param>
/// <param name="MaxSeconds">Largest.</param>
/// <param name="StdevSeconds">Sample standard deviation (n − 1); <c>null</c> for a single duration.</param>
public sealed record DurationSummary(long Count, double MeanSeconds, double MedianSeconds, double P90Seconds, double P95Seconds,
    double MinSeconds, double MaxSeconds, double? StdevSeconds)
{
    /// <summary>Summarises durations given in ascending order (at least one).</summary>
    /// <param name="sorted">The durations, ascending.</param>
    public static DurationSummary OfSorted(IReadOnlyList<double> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var n = sorted.Count;
        if (n == 0)
            throw new ArgumentException("no durations to summarise", nameof(sorted));
        var mean = 0.0;
        foreach (var v in sorted)
            mean += v;
        mean /= n;
        double? stdev = null;
        if (n > 1)
        {
            var ss = 0.0;
            foreach (var v in sorted)
                ss += (v - mean) * (v - mean);
            stdev = Math.Sqrt(ss / (n - 1));
        }
        return new DurationSummary(n, mean, Quantile(sorted, 0.5), Quantile(sorted, 0.9), Quantile(sorted, 0.95), sorted[0], sorted[^1], stdev);
    }

    /// <summary>The p-quantile (0 ≤ p ≤ 1) of values in ascending order, interpolating linearly (R type 7); NaN when empty.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
            return double.NaN;
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
