namespace Analytics.Core.Spc;

/// <summary>A chart the SPC monitor recomputes after every ingest (the process profile's <c>monitor</c> list).</summary>
public sealed record MonitoredChart
{
    /// <summary><c>node-latency</c>, <c>cycle-time</c> or <c>review-ratio</c>.</summary>
    public string Metric { get; init; } = "node-latency";

    /// <summary>The node; <c>*</c> charts every activity of the log separately.</summary>
    public string? Node { get; init; }

    /// <summary>Chart name (imr, xbar-r, p, laney-p, …).</summary>
    public string Chart { get; init; } = "imr";

    /// <summary>day, week or order.</summary>
    public string Subgroup { get; init; } = "week";

    /// <summary>none, log or boxcox.</summary>
    public string Transform { get; init; } = "none";

    /// <summary>Case-attribute conditions selecting a segment, e.g. <c>controlled=true</c>; empty for all cases.</summary>
    public IReadOnlyList<string> Segment { get; init; } = [];

    /// <summary>A built-in calendar name or a calendar file for business-time latencies; empty for the process profile's calendar.</summary>
    public string? Calendar { get; init; }
}
