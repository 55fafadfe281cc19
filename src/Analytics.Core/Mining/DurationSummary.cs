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
    double MinSeconds, double MaxSeconds, double? StdevSeconds);
