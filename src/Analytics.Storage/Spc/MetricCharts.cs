using Analytics.Core.Spc;
using Analytics.Storage.Mining;

namespace Analytics.Storage.Spc;

/// <summary>Control charts of approval metrics: series from the store, grouped into periods, charted by the Core engine.</summary>
public static class MetricCharts
{
    /// <summary>The subgroups a request charts, and how many of them are Phase I.</summary>
    /// <exception cref="ArgumentException">The request does not fit the metric (e.g. a ratio on an X̄ chart); the message says why.</exception>
    public static (IReadOnlyList<Subgroup> Subgroups, int? PhaseOne) Subgroups(ProcessMiner miner, MetricChartRequest request)
    {
        ArgumentNullException.ThrowIfNull(miner);
        ArgumentNullException.ThrowIfNull(request);
        var zone = request.Calendar?.TimeZone ?? TimeZoneInfo.Utc;
        const double Hour = 3600;
        List<Subgroup> subgroups;
        switch (request.Metric)
        {
            case "node-latency" or "cycle-time":
                var series = request.Metric == "node-latency"
                    ? miner.NodeWaits(request.Filter, request.Calendar, request.Node ?? throw new ArgumentException("node-latency needs a node"))
                    : miner.CaseThroughputs(request.Filter, request.Calendar);
                if (request.Chart is ChartKind.G or ChartKind.T)
                {
                    var sla = request.SlaHours ?? throw new ArgumentException("g and t charts of a latency need an SLA (--usl hours): they chart breaches");
                    var breaches = series.Select(s => (s.Utc, s.Seconds / Hour > sla)).ToList();
                    subgroups = request.Chart == ChartKind.G ? Periods.Between(breaches, zone) : Periods.TimeBetween(breaches, zone);
                    break;
                }
                if (ChartKinds.IsAttribute(request.Chart))
                    throw new ArgumentException($"{request.Metric} is a latency: chart it with imr, xbar-r, xbar-s, ewma or cusum");
                var hours = series.Select(s => (s.Utc, s.Seconds / Hour));
                var individuals = request.Chart is ChartKind.IndividualsMovingRange || request.Period == PeriodKind.None;
                subgroups = Periods.Values(hours, request.Period, zone, median: individuals && request.Period != PeriodKind.None);
                if (request.Chart is ChartKind.XbarR or ChartKind.XbarS)
                    subgroups = subgroups.Where(s => s.Values.Count >= 2).ToList();
                break;
            case "review-ratio":
                if (!ChartKinds.IsAttribute(request.Chart) || request.Chart is ChartKind.C or ChartKind.U)
                    throw new ArgumentException("review-ratio is a proportion: chart it with p, np or laney-p");
                subgroups = Periods.Proportions(miner.CasesVisiting(request.Filter, request.Node ?? throw new ArgumentException("review-ratio needs the review node")),
                    request.Period == PeriodKind.None ? PeriodKind.Week : request.Period, zone);
                break;
            default:
                throw new ArgumentException($"unknown metric '{request.Metric}' (node-latency, cycle-time, review-ratio)");
        }
        if (request.Baseline is not { } baseline)
            return (subgroups, request.Options.PhaseOneCount);
        // Periods are labelled by date or ISO week; compare by the label of the baseline's bounds.
        var from = Periods.Label(baseline.FromUtc, request.Period == PeriodKind.None ? PeriodKind.Day : request.Period, zone);
        var to = Periods.Label(baseline.ToUtc, request.Period == PeriodKind.None ? PeriodKind.Day : request.Period, zone);
        var kept = subgroups.Where(s => string.CompareOrdinal(s.Label[..Math.Min(s.Label.Length, from.Length)], from) >= 0).ToList();
        var phaseOne = kept.Count(s => string.CompareOrdinal(s.Label[..Math.Min(s.Label.Length, to.Length)], to) < 0);
        return (kept, Math.Max(1, phaseOne));
    }

    /// <summary>Computes the chart a request describes.</summary>
    public static ControlChart Compute(ProcessMiner miner, MetricChartRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (subgroups, phaseOne) = Subgroups(miner, request);
        if (subgroups.Count == 0)
            throw new ArgumentException($"no data for {request.Metric}{(request.Node is null ? "" : " at " + request.Node)} in this window");
        return ControlCharts.Compute(request.Chart, subgroups, request.Options with { PhaseOneCount = phaseOne });
    }
}
