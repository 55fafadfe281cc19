namespace Analytics.Reports;

/// <summary>One of the things that changed this week and matter, in a sentence, with where the page shows its evidence.</summary>
/// <param name="Kind">signal, monitor, sla, review, slower-node, compliance, cycle-time, volume, no-cases or calm.</param>
/// <param name="Text">The sentence, with its number and its comparison.</param>
/// <param name="Anchor">The id of the page's section holding the evidence.</param>
public sealed record Finding(string Kind, string Text, string Anchor);

/// <summary>
/// Picks the three to five things of a week that matter, in this order: signals on the report's control charts,
/// signals the monitor recorded on other charts, SLA attainment when it is low or moved, the review ratio against its
/// target, the node whose waiting grew most, compliance violations, a large move of end-to-end p90 or of the volume.
/// When none applies, one finding says that nothing needs attention.
/// </summary>
internal static class ReportFindings
{
    /// <summary>SLA attainment below this, or moved by this many percentage points, is worth saying.</summary>
    private const double SlaFloor = 0.9;
    private const double SlaMovePoints = 2;

    public static IReadOnlyList<Finding> Compose(WeeklyReport r, ReportText t)
    {
        var c = r.Current;
        var p = r.Previous;
        var found = new List<Finding>();
        if (c.CasesOut == 0)
            found.Add(new Finding("no-cases", t.Format("fNoCases", r.Week, t.Number(c.WorkInProgress, 0)), "kpis"));
        foreach (var chart in r.Charts)
        {
            if (chart.ThisWeek is not { Signals.Count: > 0 } point)
                continue;
            var what = string.Join(t["sep"], point.Signals.Select(t.Signal));
            found.Add(chart.Metric == "review-ratio"
                ? new Finding("signal", t.Format("fSignal.review-ratio", t.Percent(point.Value), what, t.Percent(point.Center), t.Percent(point.Lcl), t.Percent(point.Ucl)), "chart-review-ratio")
                : new Finding("signal", t.Format("fSignal.cycle-time", t.Number(point.Value), what, t.Number(point.Center), t.Number(point.Lcl), t.Number(point.Ucl)), "chart-cycle-time"));
        }
        if (r.Signals.Count > 0)
        {
            var examples = r.Signals.GroupBy(s => (s.Metric, s.Node)).Take(2).Select(g => t.Format("example", MetricName(g.Key.Metric, g.Key.Node, t), t.Signal(g.First().Signal)));
            found.Add(new Finding("monitor", t.Format(r.Signals.Count == 1 ? "fMonitor1" : "fMonitor", t.Number(r.Signals.Count, 0), string.Join(t["sep"], examples)), "signals"));
        }
        if (c.CasesOut > 0 && c.SlaHours is { } sla && !double.IsNaN(c.SlaAttainment)
            && (c.SlaAttainment < SlaFloor || Math.Abs(c.SlaAttainment - p.SlaAttainment) * 100 >= SlaMovePoints))
            found.Add(new Finding("sla", t.Format("fSla", t.Percent(c.SlaAttainment), t.Number(c.CasesOut, 0), t.Number(sla, 0), t.Change(c.SlaAttainment, p.SlaAttainment, percent: true)), "kpis"));
        if (r.ReviewRole is { } role && c.CasesOut > 0 && !double.IsNaN(c.ReviewRatio))
        {
            var change = t.Change(c.ReviewRatio, p.ReviewRatio, percent: true);
            if (r.ReviewTarget is { } target)
            {
                var gap = t.Change(c.ReviewRatio, target, percent: true).TrimStart('+', '−');
                found.Add(new Finding("review", t.Format(c.ReviewRatio >= target ? "fReviewAbove" : "fReviewBelow", t.Percent(c.ReviewRatio), role, t.Percent(target), gap, change), "chart-review-ratio"));
            }
            else if (Math.Abs(c.ReviewRatio - p.ReviewRatio) >= 0.03)
                found.Add(new Finding("review", t.Format("fReview", t.Percent(c.ReviewRatio), role, change), "chart-review-ratio"));
        }
        // The node whose waiting grew most: p90 up by a fifth and at least an hour, on enough visits both weeks.
        var slower = r.Nodes.Where(n => n.Count >= 5 && n.PreviousCount >= 5 && !double.IsNaN(n.PreviousP90Hours)
                                        && n.P90Hours >= n.PreviousP90Hours * 1.2 && n.P90Hours - n.PreviousP90Hours >= 1)
            .OrderByDescending(n => (n.P90Hours - n.PreviousP90Hours) * n.Count).FirstOrDefault();
        if (slower is not null)
            found.Add(new Finding("slower-node", t.Format("fSlower", slower.Node, t.Number(slower.P90Hours), t.Number(slower.PreviousP90Hours), t.Relative(slower.P90Hours, slower.PreviousP90Hours), t.Number(slower.Count, 0)), "nodes"));
        if (r.Compliance.Where(x => x.Violations > 0).OrderByDescending(x => x.Violations).FirstOrDefault() is { } rule)
            found.Add(new Finding("compliance", t.Format("fCompliance", t.Number(rule.Violations, 0), t.Number(rule.Checked, 0), rule.Rule), "compliance"));
        if (c.CasesOut > 0 && p.CasesOut > 0 && Math.Abs(c.CycleP90Hours - p.CycleP90Hours) >= 0.15 * p.CycleP90Hours && Math.Abs(c.CycleP90Hours - p.CycleP90Hours) >= 1)
            found.Add(new Finding("cycle-time", t.Format("fP90", t.Number(c.CycleP90Hours), t.Number(p.CycleP90Hours), t.Relative(c.CycleP90Hours, p.CycleP90Hours)), "trend"));
        if (p.CasesIn >= 20 && Math.Abs(c.CasesIn - p.CasesIn) >= 0.25 * p.CasesIn)
            found.Add(new Finding("volume", t.Format("fVolume", t.Number(c.CasesIn, 0), t.Number(p.CasesIn, 0), t.Relative(c.CasesIn, p.CasesIn)), "kpis"));
        if (found.Count == 0)
            found.Add(new Finding("calm", t["fCalm"], "kpis"));
        return found.Take(5).ToList();
    }

    public static string MetricName(string metric, string node, ReportText t) => metric switch
    {
        "node-latency" => t.Format("metric.node-latency", node),
        "cycle-time" or "review-ratio" => t["metric." + metric],
        _ => t.Format("metric.other", metric + (node.Length > 0 ? " " + node : "")),
    };
}
