using ScottPlot;

namespace Analytics.Reports;

/// <summary>
/// The report's charts, drawn by ScottPlot as SVG text to inline in the page: a sans-serif font that renders the
/// page's language, axis labels with units, legends below the plot, percentages as percentages.
/// </summary>
internal static class ReportCharts
{
    private const int Width = 1000;

    public static string Pareto(IReadOnlyList<NodeRow> nodes, ReportText text)
    {
        // Horizontal bars, largest share on top, so that node names stay readable (wrapped, not cut).
        var plot = NewPlot(text);
        var top = nodes.Take(10).ToList();
        var positions = Enumerable.Range(0, top.Count).Select(i => (double)(top.Count - 1 - i)).ToArray();
        var bars = plot.Add.Bars(positions, top.Select(n => n.Share * 100).ToArray());
        bars.Horizontal = true;
        bars.Color = Colors.SteelBlue;
        foreach (var (bar, node) in bars.Bars.Zip(top))
            bar.Label = node.Share.ToString("P1", text.Culture);
        bars.ValueLabelStyle.FontSize = 12;
        plot.Axes.Left.SetTicks(positions, top.Select(n => ProcessMapDot.Wrap(n.Node, 28)).ToArray());
        if (ChineseFont is { } cjk && top.Any(n => n.Node.Any(ch => ch >= '\u2e80')))
            plot.Axes.Left.TickLabelStyle.FontName = cjk; // node names are data, in whatever script the log uses
        plot.Axes.Bottom.Label.Text = text["paretoAxis"];
        var tens = Enumerable.Range(0, 11).Select(i => i * 10.0).ToArray();
        plot.Axes.Bottom.SetTicks(tens, tens.Select(x => x.ToString("0", text.Culture)).ToArray());
        plot.Axes.SetLimitsX(0, 108);
        return Svg(plot, 60 + 42 * Math.Max(3, top.Count));
    }

    /// <summary>End-to-end p90 per week, in business hours.</summary>
    public static string TrendHours(WeeklyReport report, ReportText text)
    {
        var plot = NewPlot(text);
        var (xs, weeks) = Weeks(report.Trend.Select(w => w.Week).ToList());
        var values = report.Trend.Select(w => w.Indicators.CycleP90Hours).ToArray();
        var line = plot.Add.Scatter(xs, values);
        line.MarkerSize = 6;
        plot.Axes.Bottom.SetTicks(xs, weeks);
        plot.Axes.Bottom.Label.Text = text["axisWeek"];
        plot.Axes.Left.Label.Text = text["axisHours"];
        plot.Axes.SetLimitsY(0, Math.Max(1, values.Where(double.IsFinite).DefaultIfEmpty(1).Max() * 1.15));
        return Svg(plot, 300);
    }

    /// <summary>The review ratio per week in percent with the target on the same axis.</summary>
    public static string TrendReview(WeeklyReport report, ReportText text)
    {
        var plot = NewPlot(text);
        var (xs, weeks) = Weeks(report.Trend.Select(w => w.Week).ToList());
        var values = report.Trend.Select(w => w.Indicators.ReviewRatio * 100).ToArray();
        var line = plot.Add.Scatter(xs, values);
        line.MarkerSize = 6;
        var top = values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        if (report.ReviewTarget is { } goal)
        {
            var target = plot.Add.HorizontalLine(goal * 100);
            target.Color = Colors.Gray;
            top = Math.Max(top, goal * 100);
        }
        plot.Axes.Bottom.SetTicks(xs, weeks);
        plot.Axes.Bottom.Label.Text = text["axisWeek"];
        plot.Axes.Left.Label.Text = text["axisPercent"];
        plot.Axes.SetLimitsY(0, Math.Min(100, Math.Max(5, top * 1.2)));
        var keys = new List<(string, string, bool)> { ("#4682b4", text["curveRatio"], true) };
        if (report.ReviewTarget is { } g)
            keys.Add(("#808080", text.Format("legendTarget", text.Percent(g)), false));
        return Svg(plot, 320) + Keys(keys);
    }

    /// <summary>The individuals (or proportion) chart: values, centre line, limits and red marks where a signal is.</summary>
    public static string Control(ChartSummary chart, ReportText text)
    {
        var percent = chart.Metric == "review-ratio";
        return Limits(chart.Points, text, percent ? 100 : 1, text[percent ? "axisPercent" : "axisHours"], 320);
    }

    /// <summary>The moving-range half of an I-MR pair.</summary>
    public static string MovingRange(ChartSummary chart, ReportText text) =>
        Limits(chart.Ranges, text, 1, text[chart.Transform == "log" ? "axisMrLog" : "axisMr"], 240);

    private static string Limits(IReadOnlyList<ChartPointRow> points, ReportText text, double scale, string axis, int height, bool standalone = false)
    {
        var plot = NewPlot(text);
        var (xs, weeks) = Weeks(points.Select(p => p.Week).ToList());
        var values = plot.Add.Scatter(xs, points.Select(p => p.Value * scale).ToArray());
        values.MarkerSize = 5;
        values.Color = Colors.SteelBlue;
        foreach (var (select, key, color) in new (Func<ChartPointRow, double>, string, Color)[]
                 { (p => p.Center, "legendCentre", Colors.Green), (p => p.Ucl, "legendLimits", Colors.Red), (p => p.Lcl, "", Colors.Red) })
        {
            var line = plot.Add.Scatter(xs, points.Select(p => select(p) * scale).ToArray());
            line.Color = color;
            line.MarkerSize = 0;
            line.LineWidth = key == "legendCentre" ? 1.5f : 1f;
        }
        var flagged = points.Select((p, i) => (p, i)).Where(x => x.p.Signals.Count > 0).ToList();
        if (flagged.Count > 0)
        {
            var marks = plot.Add.ScatterPoints(flagged.Select(x => (double)x.i).ToArray(), flagged.Select(x => x.p.Value * scale).ToArray());
            marks.Color = Colors.Red;
            marks.MarkerSize = 10;
        }
        var step = Math.Max(1, points.Count / 13);
        var ticks = xs.Where(x => (int)x % step == 0 || weeks[(int)x].Contains('\n', StringComparison.Ordinal)).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, ticks.Select(x => weeks[(int)x]).ToArray());
        plot.Axes.Bottom.Label.Text = text["axisWeek"];
        plot.Axes.Left.Label.Text = axis;
        var highest = Math.Max(points.SelectMany(p => new[] { p.Value, p.Ucl }).Where(double.IsFinite).DefaultIfEmpty(1).Max() * scale, 1e-9);
        plot.Axes.SetLimitsY(-0.03 * highest, highest * 1.1);
        var keys = new List<(string, string, bool)> { ("#4682b4", text["legendValue"], true), ("#008000", text["legendCentre"], false), ("#ff0000", text["legendLimits"], false) };
        if (flagged.Count > 0)
            keys.Add(("#ff0000", text["legendSignal"], true));
        if (!standalone)
            return Svg(plot, height) + Keys(keys);
        // A file of its own carries its key inside the picture, below the plot.
        foreach (var (colour, label, dot) in keys)
        {
            var item = new LegendItem { LabelText = label, LineColor = Color.FromHex(colour), LineWidth = dot ? 0 : 2, MarkerShape = dot ? MarkerShape.FilledCircle : MarkerShape.None, MarkerFillColor = Color.FromHex(colour), MarkerSize = dot ? 8 : 0 };
            plot.Legend.ManualItems.Add(item);
        }
        plot.ShowLegend(Edge.Bottom);
        return Svg(plot, height + 40);
    }

    /// <summary>
    /// A control chart as a picture of its own (for <c>analytics spc --out</c>): the chart as the report draws it, and
    /// for charts with a dispersion half (I-MR, X̄-R, X̄-S) that half as a second picture.
    /// </summary>
    /// <param name="chart">The computed chart.</param>
    /// <param name="axis">The values' axis label, with its unit.</param>
    public static (string Chart, string? Dispersion) Standalone(Core.Spc.ControlChart chart, string axis)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var text = ReportText.For("en");
        static ChartPointRow Row(Core.Spc.ChartPoint p) => p.Original is { } o
            ? new ChartPointRow(p.Label, o.Value, o.Center, o.Lcl, o.Ucl, p.Signals, [], p.Size)
            : new ChartPointRow(p.Label, p.Value, p.Center, p.Lcl, p.Ucl, p.Signals, [], p.Size);
        var main = Limits(chart.Points.Select(Row).ToList(), text, 1, axis, 360, standalone: true);
        var spread = chart.Dispersion is { } d ? Limits(d.Points.Select(Row).ToList(), text, 1, d.Name.ToUpperInvariant() + (chart.Transform == "none" ? "" : $" (on the {chart.Transform} scale)"), 280, standalone: true) : null;
        return (main, spread);
    }

    /// <summary>The chart's key below it, in the page's own text (a line or a dot of each series' colour and its name).</summary>
    private static string Keys(IEnumerable<(string Colour, string Label, bool Dot)> keys) =>
        "<div class=\"keys\">" + string.Concat(keys.Select(k =>
            $"<span><i class=\"{(k.Dot ? "dot" : "line")}\" style=\"background:{k.Colour}\"></i>{System.Net.WebUtility.HtmlEncode(k.Label)}</span>")) + "</div>";

    /// <summary>Positions and tick labels for ISO weeks: "W37", with the year under the first week and under each new year's.</summary>
    private static (double[] Xs, string[] Labels) Weeks(List<string> weeks)
    {
        var labels = new string[weeks.Count];
        string? year = null;
        for (var i = 0; i < weeks.Count; i++)
        {
            var parts = weeks[i].Split('-', 2);
            labels[i] = parts.Length == 2 && parts[0] != year ? parts[1] + "\n" + parts[0] : parts[^1];
            year = parts[0];
        }
        return (Enumerable.Range(0, weeks.Count).Select(i => (double)i).ToArray(), labels);
    }

    // Sans-serif fonts like the page's (which lists the same ones): Noto Sans CJK SC draws both scripts and is what
    // Debian's fonts-noto-cjk installs; without it Latin text falls back to DejaVu or Liberation Sans.
    private static readonly HashSet<string> Installed = new(SkiaSharp.SKFontManager.Default.GetFontFamilies(), StringComparer.OrdinalIgnoreCase);
    private static readonly string? ChineseFont = new[] { "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "Droid Sans Fallback" }.FirstOrDefault(Installed.Contains);
    private static readonly string LatinFont = new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans CJK SC" }.FirstOrDefault(Installed.Contains) ?? Fonts.Default;

    private static Plot NewPlot(ReportText text)
    {
        var plot = new Plot();
        // Week labels and numbers in the Latin font, axis titles in one that has the language's glyphs.
        if (text.Culture.Name == "zh-CN" && ChineseFont is { } cjk)
        {
            plot.Font.Set(cjk);
            plot.Axes.Left.TickLabelStyle.FontName = LatinFont;
            plot.Axes.Bottom.TickLabelStyle.FontName = LatinFont;
        }
        else
            plot.Font.Set(LatinFont);
        plot.Axes.Left.Label.FontSize = 13;
        plot.Axes.Bottom.Label.FontSize = 13;
        return plot;
    }

    private static string Svg(Plot plot, int height) =>
        // The font named as the chart measured it, then the page's sans-serif as the fallback.
        System.Text.RegularExpressions.Regex.Replace(plot.GetSvgXml(Width, height), "font-family=\"([^\"]*)\"", "font-family=\"$1, sans-serif\"");
}

/// <summary>The report's control charts as pictures of their own, for people who prefer looking to reading (<c>analytics spc --out</c>).</summary>
public static class ControlChartPictures
{
    /// <summary>The chart as the report draws it, and its dispersion half (MR, R or S) when it has one.</summary>
    /// <param name="chart">The computed chart.</param>
    /// <param name="axis">The values' axis label, with its unit.</param>
    public static (string Chart, string? Dispersion) Svg(Core.Spc.ControlChart chart, string axis) => ReportCharts.Standalone(chart, axis);
}
