namespace Analytics.Reports;

/// <summary>Every number the weekly latency report shows, for one ISO week and the week before it.</summary>
/// <param name="Week">ISO week, e.g. 2025-W10.</param>
/// <param name="FromUtc">Start of the week (Monday 00:00 in the calendar's zone), inclusive.</param>
/// <param name="ToUtc">End of the week, exclusive.</param>
/// <param name="Calendar">The business calendar of the hours.</param>
/// <param name="Current">This week's indicators.</param>
/// <param name="Previous">Last week's, for the change.</param>
/// <param name="Nodes">Waiting before each node, for cases completed this week, largest share first (a Pareto), with last week's p90 beside it.</param>
/// <param name="Slowest">The slowest cases completed this week.</param>
/// <param name="OldestOpen">The oldest cases still open at the end of the week.</param>
/// <param name="Signals">Signals the SPC monitor recorded for this week on charts the report does not draw (per-node latency and the like); the report's own charts carry theirs in <see cref="Charts"/>.</param>
/// <param name="Trend">The indicators of the last eight weeks, oldest first (this week last).</param>
/// <param name="MapDot">The process map of the cases completed this week, as Graphviz DOT.</param>
/// <param name="Charts">Control charts over the last 26 weeks ending with this one, computed from the same completed cases as the indicators: their marks, the signals section and the findings all read these points.</param>
/// <param name="Compliance">Policy rules checked on the cases completed this week (empty without a policy).</param>
public sealed record WeeklyReport(string Week, DateTime FromUtc, DateTime ToUtc, string Calendar, WeekIndicators Current, WeekIndicators Previous,
    IReadOnlyList<NodeRow> Nodes, IReadOnlyList<CaseRow> Slowest, IReadOnlyList<CaseRow> OldestOpen, IReadOnlyList<SignalRow> Signals,
    IReadOnlyList<TrendPoint> Trend, string MapDot, IReadOnlyList<ChartSummary> Charts, IReadOnlyList<ComplianceRow> Compliance)
{
    /// <summary>The process's name, from its profile: the report's title.</summary>
    public string Title { get; init; } = "Process";

    /// <summary>The review node (its role), or null when the process has none: then the page shows no review card, ratio chart or routing section.</summary>
    public string? ReviewRole { get; init; }

    /// <summary>The target share of cases sent to review, 0–1; null without a target.</summary>
    public double? ReviewTarget { get; init; }

    /// <summary>Activities left out of waiting, the map and end-to-end times as recorded beside the flow.</summary>
    public IReadOnlyList<string> SideActivities { get; init; } = [];

    /// <summary>The routing model's health over the four weeks to this one; null without an active model.</summary>
    public RoutingHealth? Routing { get; init; }

    /// <summary>The calendar's time zone (IANA id), in which the week's dates are shown.</summary>
    public string Zone { get; init; } = "UTC";

    /// <summary>What the week's map (of the cases completed this week) draws and leaves out.</summary>
    public ProcessMapSummary? Map { get; init; }
}

/// <summary>What the week's process map draws and what it leaves out.</summary>
/// <param name="Cases">Cases completed this week.</param>
/// <param name="Variants">Their distinct paths.</param>
/// <param name="DrawnVariants">The most frequent paths drawn.</param>
/// <param name="DrawnCases">Cases following the drawn paths.</param>
/// <param name="Coverage">The share of cases the drawn paths were chosen to cover (0–1).</param>
public sealed record ProcessMapSummary(long Cases, int Variants, int DrawnVariants, long DrawnCases, double Coverage);

/// <summary>One policy rule on the week's completed cases.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Checked">Cases it applied to.</param>
/// <param name="Violations">Cases breaking it.</param>
/// <param name="Examples">Up to five of them.</param>
public sealed record ComplianceRow(string Rule, long Checked, int Violations, IReadOnlyList<string> Examples);

/// <summary>A control chart in the report.</summary>
/// <param name="Metric">What it charts: <c>review-ratio</c> (share of completed cases that visited the review node, per week) or <c>cycle-time</c> (median end-to-end business hours of the cases completed each week).</param>
/// <param name="Chart">Chart name (laney-p, imr).</param>
/// <param name="Transform">none or log (limits computed on the log, shown in hours).</param>
/// <param name="Points">Week, value, limits and signals, in the data's units (business hours, or a ratio 0–1).</param>
/// <param name="Ranges">The moving-range chart of an I-MR pair (on the transformed scale), empty for others.</param>
/// <param name="Week">The report's week; when no point carries it, no case completed that week.</param>
public sealed record ChartSummary(string Metric, string Chart, string Transform, IReadOnlyList<ChartPointRow> Points, IReadOnlyList<ChartPointRow> Ranges, string Week)
{
    /// <summary>The report week's point, or null.</summary>
    public ChartPointRow? ThisWeek => Points.LastOrDefault(p => p.Week == Week);
}

/// <summary>A point of a report chart.</summary>
/// <param name="Week">ISO week.</param>
/// <param name="Value">The statistic.</param>
/// <param name="Center">Centre line.</param>
/// <param name="Lcl">Lower limit.</param>
/// <param name="Ucl">Upper limit.</param>
/// <param name="Signals">Signals at this point.</param>
/// <param name="Meanings">Each signal in words (English), in the same order.</param>
/// <param name="Size">Cases behind the point.</param>
public sealed record ChartPointRow(string Week, double Value, double Center, double Lcl, double Ucl, IReadOnlyList<string> Signals, IReadOnlyList<string> Meanings, double Size);

/// <summary>One week of the trend.</summary>
/// <param name="Week">ISO week.</param>
/// <param name="Indicators">Its indicators.</param>
public sealed record TrendPoint(string Week, WeekIndicators Indicators);

/// <summary>Headline indicators of one week.</summary>
/// <param name="CasesIn">Cases whose first event falls in the week.</param>
/// <param name="CasesOut">Cases whose last event falls in the week.</param>
/// <param name="WorkInProgress">Cases started before the week's end and not finished by then.</param>
/// <param name="WipMedianAgeDays">Median age of that work in progress at the week's end, days.</param>
/// <param name="WipP90AgeDays">90th percentile of that age, days.</param>
/// <param name="CycleP50Hours">Median end-to-end time of the cases completed, business hours.</param>
/// <param name="CycleP90Hours">90th percentile of it.</param>
/// <param name="SlaHours">The SLA in business hours; null when the process has none.</param>
/// <param name="SlaAttainment">Share of completed cases within the SLA, 0–1; NaN without an SLA or completed cases.</param>
/// <param name="FirstPassYield">Share of completed cases without a repeated activity or a rejection, 0–1.</param>
/// <param name="ReworkRate">Share of completed cases with a repeated activity, 0–1.</param>
/// <param name="ReviewRatio">Share of completed cases that visited the review node, 0–1; NaN without a review node.</param>
/// <param name="ReviewTarget">The review-ratio target of the profile; null without one.</param>
public sealed record WeekIndicators(long CasesIn, long CasesOut, long WorkInProgress, double WipMedianAgeDays, double WipP90AgeDays,
    double CycleP50Hours, double CycleP90Hours, double? SlaHours, double SlaAttainment, double FirstPassYield, double ReworkRate, double ReviewRatio, double? ReviewTarget);

/// <summary>One node's waiting in the week.</summary>
/// <param name="Node">The activity.</param>
/// <param name="Count">Occurrences.</param>
/// <param name="P50Hours">Median waiting, business hours.</param>
/// <param name="P90Hours">90th percentile.</param>
/// <param name="Share">Share of all waiting, 0–1.</param>
/// <param name="PreviousCount">Occurrences last week (0 when none).</param>
/// <param name="PreviousP90Hours">Last week's 90th percentile; NaN when the node had no waiting last week.</param>
public sealed record NodeRow(string Node, long Count, double P50Hours, double P90Hours, double Share, long PreviousCount = 0, double PreviousP90Hours = double.NaN);

/// <summary>A case in a list of slowest or oldest.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Hours">End-to-end business hours (slowest) or age in calendar days at the week's end (oldest open).</param>
/// <param name="LastActivity">Where it is, or ended.</param>
public sealed record CaseRow(string CaseId, double Hours, string LastActivity);

/// <summary>A signal the SPC monitor recorded for this week on a chart the report does not draw.</summary>
/// <param name="Metric">node-latency, cycle-time or review-ratio.</param>
/// <param name="Node">The node, or empty.</param>
/// <param name="Chart">The chart (imr, laney-p, …).</param>
/// <param name="Signal">The signal.</param>
/// <param name="Value">The point's value in the chart's units.</param>
public sealed record SignalRow(string Metric, string Node, string Chart, string Signal, double Value);
