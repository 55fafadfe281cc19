using ScottPlot;

namespace Analytics.Reports;

/// <summary>The report's charts, drawn by ScottPlot as SVG text to inline in the page.</summary>
internal static class ReportCharts
{
    public static string Pareto(IReadOnlyList<NodeRow> nodes)
    {
        var plot = new Plot();
        var top = nodes.Take(10).ToList();
        var bars = top.Select((n, i) => new Bar { Position = i, Value = n.Share * 100, FillColor = Colors.SteelBlue }).ToList();
        plot.Add.Bars(bars);
        var cumulative = 0.0;
        var line = top.Select(n => cumulative += n.Share * 100).ToArray();
        var scatter = plot.Add.Scatter(Enumerable.Range(0, top.Count).Select(i => (double)i).ToArray(), line);
        scatter.Color = Colors.DarkOrange;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, top.Count).Select(i => (double)i).ToArray(), top.Select(n => Short(n.Node)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Left.Label.Text = "% of waiting";
        plot.Axes.SetLimitsY(0, 105);
        return plot.GetSvgXml(900, 360);
    }

    public static string Trend(WeeklyReport report)
    {
        var plot = new Plot();
        var xs = Enumerable.Range(0, report.Trend.Count).Select(i => (double)i).ToArray();
        var p90 = plot.Add.Scatter(xs, report.Trend.Select(w => double.IsNaN(w.Indicators.CycleP90Hours) ? 0 : w.Indicators.CycleP90Hours).ToArray());
        p90.LegendText = "p90 (business hours)";
        var review = plot.Add.Scatter(xs, report.Trend.Select(w => double.IsNaN(w.Indicators.ReviewRatio) ? 0 : w.Indicators.ReviewRatio * 100).ToArray());
        review.LegendText = "PM-review ratio (%)";
        review.Axes.YAxis = plot.Axes.Right;
        var target = plot.Add.HorizontalLine(15);
        target.Axes.YAxis = plot.Axes.Right;
        target.LinePattern = LinePattern.Dashed;
        target.LegendText = "target 15%";
        plot.Axes.Bottom.SetTicks(xs, report.Trend.Select(w => w.Week).ToArray());
        plot.Axes.Left.Label.Text = "hours";
        plot.Axes.Right.Label.Text = "%";
        plot.ShowLegend();
        return plot.GetSvgXml(900, 320);
    }

    private static string Short(string s) => s.Length <= 24 ? s : s[..23] + "…";
}
