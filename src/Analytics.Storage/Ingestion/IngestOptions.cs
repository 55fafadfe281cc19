namespace Analytics.Storage.Ingestion;

/// <summary>Limits applied while loading a file.</summary>
public sealed record IngestOptions
{
    /// <summary>Above this share of bad rows (quarantined / read) the whole file is refused. 0.05 by default.</summary>
    public double MaxBadRowRatio { get; init; } = 0.05;

    /// <summary>Timestamps later than "now" plus this are impossible and quarantined. One day by default.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Record, in the load's transaction, that the file owes follow-up work (the worker's monitor and routing).</summary>
    public bool RecordFollowUp { get; init; }

    /// <summary>Bounds on what one file may cost (sizes, ratio, time).</summary>
    public IngestLimits Limits { get; init; } = new();

    /// <summary>Timestamps before this instant are impossible and quarantined. 1900-01-01 UTC by default.</summary>
    public DateTimeOffset Earliest { get; init; } = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
