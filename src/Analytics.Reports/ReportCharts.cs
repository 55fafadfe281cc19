using ScottPlot;

namespace Analytics.Reports;

/// <summary>The report's charts, drawn by ScottPlot as SVG text to inline in the page.</summary>
internal static class ReportCharts
{
    public static string Pareto(IReadOnlyList<NodeRow> nodes)
    {
        // Horizontal bars, largest share on top, so that node names stay readable.
        var plot = new Plot();
        var top = nodes.Take(10).ToList();
        var positions = Enumerable.Range(0, top.Count).Select(i => (double)(top.Count - 1 - i)).ToArray();
        var bars = plot.Add.Bars(positions, top.Select(n => n.Share * 100).ToArray());
        bars.Horizontal = true;
        bars.Color = Colors.SteelBlue;
        plot.Axes.Left.SetTicks(positions, top.Select(n => Short(n.Node)).ToArray());
        plot.Axes.Bottom.Label.Text = "% of all waiting";
        plot.Axes.SetLimitsX(0, 100);
        return plot.GetSvgXml(900, 40 + 32 * Math.Max(3, top.Count));
    }

    public static string Trend(WeeklyReport report, ReportText text)
    {
        var plot = new Plot();
        var xs = Enumerable.Range(0, report.Trend.Count).Select(i => (double)i).ToArray();
        var p90 = plot.Add.Scatter(xs, report.Trend.Select(w => double.IsNaN(w.Indicators.CycleP90Hours) ? 0 : w.Indicators.CycleP90Hours).ToArray());
        p90.LegendText = "p90 (business hours)";
        if (report.ReviewRole is not null)
        {
            var review = plot.Add.Scatter(xs, report.Trend.Select(w => double.IsNaN(w.Indicators.ReviewRatio) ? 0 : w.Indicators.ReviewRatio * 100).ToArray());
            review.LegendText = text["reviewShort"];
            review.Axes.YAxis = plot.Axes.Right;
            if (report.ReviewTarget is { } goal)
            {
                var target = plot.Add.HorizontalLine(goal * 100);
                target.Axes.YAxis = plot.Axes.Right;
                target.Color = Colors.Gray;
                target.LegendText = $"{text["target"]} {text.Percent(goal)}";
            }
            plot.Axes.Right.Label.Text = "%";
        }
        plot.Axes.Bottom.SetTicks(xs, report.Trend.Select(w => w.Week).ToArray());
        plot.Axes.Left.Label.Text = "hours";
        plot.ShowLegend(Edge.Right);
        return plot.GetSvgXml(900, 320);
    }

    public static string Control(ChartSummary chart)
    {
        var plot = new Plot();
        var xs = Enumerable.Range(0, chart.Points.Count).Select(i => (double)i).ToArray();
        var values = plot.Add.Scatter(xs, chart.Points.Select(p => p.Value).ToArray());
        values.LegendText = "value";
        foreach (var (select, name, color) in new (Func<ChartPointRow, double>, string, Color)[]
                 { (p => p.Center, "centre", Colors.Green), (p => p.Ucl, "UCL", Colors.Red), (p => p.Lcl, "LCL", Colors.Red) })
        {
            var line = plot.Add.Scatter(xs, chart.Points.Select(select).ToArray());
            line.Color = color;
            line.MarkerSize = 0;
            line.LineWidth = name == "centre" ? 1.5f : 1f;
            line.LegendText = name;
        }
        var flagged = chart.Points.Select((p, i) => (p, i)).Where(x => x.p.Signals.Count > 0).ToList();
        if (flagged.Count > 0)
        {
            var marks = plot.Add.ScatterPoints(flagged.Select(x => (double)x.i).ToArray(), flagged.Select(x => x.p.Value).ToArray());
            marks.Color = Colors.Red;
            marks.MarkerSize = 9;
            marks.LegendText = "signal";
        }
        var step = Math.Max(1, chart.Points.Count / 7);
        var ticks = xs.Where(x => (int)x % step == 0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, ticks.Select(x => chart.Points[(int)x].Week).ToArray());
        plot.ShowLegend(Edge.Right);
        return plot.GetSvgXml(900, 300);
    }

    private static string Short(string s) => s.Length <= 24 ? s : s[..23] + "…";
}
