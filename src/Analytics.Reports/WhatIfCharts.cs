using Analytics.Core.WhatIf;
using ScottPlot;

namespace Analytics.Reports;

/// <summary>Baseline against scenario as SVG charts (ScottPlot): waiting per node and end-to-end time, each bar with its 95% interval.</summary>
public static class WhatIfCharts
{
    /// <summary>The 90th percentile of waiting before each role (or activity with <paramref name="byActivity"/>), baseline and scenario side by side.</summary>
    public static string Waiting(WhatIfResult result, bool byActivity = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var before = byActivity ? result.Baseline.Nodes : result.Baseline.Roles;
        var after = byActivity ? result.Outcome.Nodes : result.Outcome.Roles;
        var names = before.Select(n => n.Node).Union(after.Select(n => n.Node), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Estimate Of(IReadOnlyList<NodeEstimate> nodes, string name) =>
            nodes.FirstOrDefault(n => n.Node == name)?.P90WaitHours ?? new Estimate(0, 0, 0);
        return Grouped([.. names], [.. names.Select(n => Of(before, n))], [.. names.Select(n => Of(after, n))], result.Scenario.Name, "p90 waiting before the node (business hours)");
    }

    /// <summary>Median and 90th percentile of end-to-end time, baseline and scenario.</summary>
    public static string EndToEnd(WhatIfResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Grouped(["p50 end-to-end", "p90 end-to-end"], [result.Baseline.P50Hours, result.Baseline.P90Hours], [result.Outcome.P50Hours, result.Outcome.P90Hours],
            result.Scenario.Name, "business hours");
    }

    private static string Grouped(string[] names, Estimate[] before, Estimate[] after, string scenario, string axis)
    {
        var plot = new Plot();
        var xs = Enumerable.Range(0, names.Length).Select(i => (double)i).ToArray();
        foreach (var (values, offset, label, color) in new[] { (before, -0.2, "baseline", Colors.Gray), (after, 0.2, scenario, Colors.SteelBlue) })
        {
            var positions = xs.Select(x => x + offset).ToArray();
            var bars = plot.Add.Bars(positions, values.Select(v => Finite(v.Mean)).ToArray());
            bars.Color = color;
            bars.LegendText = label;
            foreach (var bar in bars.Bars)
                bar.Size = 0.38;
            var errors = plot.Add.ErrorBar(positions, values.Select(v => Finite(v.Mean)).ToArray(), values.Select(v => Finite((v.High - v.Low) / 2)).ToArray());
            errors.Color = Colors.Black;
        }
        plot.Axes.Bottom.SetTicks(xs, names.Select(n => n.Length <= 22 ? n : n[..21] + "…").ToArray());
        plot.Axes.Left.Label.Text = axis;
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Top);
        return plot.GetSvgXml(Math.Max(600, 140 * names.Length), 360);
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
