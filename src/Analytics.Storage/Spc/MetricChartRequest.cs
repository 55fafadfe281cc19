using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Spc;

namespace Analytics.Storage.Spc;

/// <summary>Which approval metric to chart, and how.</summary>
public sealed record MetricChartRequest
{
    /// <summary><c>node-latency</c> (waiting before <see cref="Node"/>), <c>cycle-time</c> (case throughput) or <c>review-ratio</c> (share of cases visiting <see cref="Node"/>).</summary>
    public required string Metric { get; init; }

    /// <summary>The node (activity, or LIKE pattern with '%').</summary>
    public string? Node { get; init; }

    /// <summary>The chart.</summary>
    public required ChartKind Chart { get; init; }

    /// <summary>Subgroups per day or ISO week; <see cref="PeriodKind.None"/> charts every order.</summary>
    public PeriodKind Period { get; init; } = PeriodKind.Week;

    /// <summary>Chart options (tests, transform, Phase I).</summary>
    public ChartOptions Options { get; init; } = new();

    /// <summary>Business time on this calendar (and periods in its time zone); <c>null</c> for wall clock in UTC.</summary>
    public BusinessCalendar? Calendar { get; init; }

    /// <summary>The segment and window.</summary>
    public MiningFilter Filter { get; init; } = MiningFilter.All;

    /// <summary>Phase I: the subgroups whose period starts in <c>[from, to)</c>; later ones are Phase II, earlier ones dropped.</summary>
    public (DateTime FromUtc, DateTime ToUtc)? Baseline { get; init; }

    /// <summary>For G and T charts of cycle time: the SLA in hours; a breach is a case slower than it.</summary>
    public double? SlaHours { get; init; }
}
