namespace Analytics.Core.Mining;

/// <summary>Case throughput times (last event minus first event) and the log's start and end activities.</summary>
/// <param name="Cases">Cases considered.</param>
/// <param name="WallClock">Throughput times on the wall clock.</param>
/// <param name="Business">Throughput times in business seconds (the calendar's default hours); <c>null</c> without a calendar.</param>
/// <param name="Percentiles">Wall-clock percentiles 10, 25, 50, 75, 90, 95, 99, for the distribution.</param>
/// <param name="StartActivities">Activity → number of cases starting with it.</param>
/// <param name="EndActivities">Activity → number of cases ending with it.</param>
public sealed record CaseDurations(long Cases, DurationSummary WallClock, DurationSummary? Business, IReadOnlyDictionary<int, double> Percentiles,
    IReadOnlyDictionary<string, long> StartActivities, IReadOnlyDictionary<string, long> EndActivities);
