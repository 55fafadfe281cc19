using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Reports;

/// <summary>
/// Renders a <see cref="WeeklyReport"/> as three files: <c>report.json</c> (every number shown), <c>report.md</c> (a short
/// summary for chat or mail) and <c>report.html</c> (self-contained: inline CSS and SVG charts drawn by ScottPlot,
/// no network access, print-friendly), in English or Simplified Chinese.
/// </summary>
public static class ReportRenderer
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        IncludeFields = true,
    };

    /// <summary>Writes the three files into a folder.</summary>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Write(WeeklyReport report, string folder, string lang)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        var text = ReportText.For(lang);
        var findings = ReportFindings.Compose(report, text);
        var paths = new[] { Path.Combine(folder, "report.json"), Path.Combine(folder, "report.md"), Path.Combine(folder, "report.html") };
        File.WriteAllText(paths[0], JsonSerializer.Serialize(new { lang, findings, report }, Json));
        File.WriteAllText(paths[1], Markdown(report, text, findings, null));
        File.WriteAllText(paths[2], Html(report, text, lang, findings));
        return paths;
    }

    /// <summary>The week's findings in a language (en or zh-CN): the same sentences the page opens with.</summary>
    public static IReadOnlyList<Finding> Findings(WeeklyReport report, string lang) => ReportFindings.Compose(report, ReportText.For(lang));

    /// <summary>
    /// The chat message announcing a report (WeCom markdown): title, the findings, the headline numbers and where the
    /// page is. Data in it (the title, node and rule names) is escaped by <paramref name="escape"/>.
    /// </summary>
    public static string Message(WeeklyReport report, string lang, string htmlPath, Func<string, string> escape)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(escape);
        var text = ReportText.For(lang);
        return Markdown(report, text, ReportFindings.Compose(report, text), (htmlPath, escape));
    }

    /// <summary>The English strings of the page, charts and message (a translated page must contain none of them except as data).</summary>
    public static IEnumerable<string> EnglishStrings => ReportText.EnglishWords;

    private static string Markdown(WeeklyReport r, ReportText t, IReadOnlyList<Finding> findings, (string Path, Func<string, string> Escape)? message)
    {
        var e = message?.Escape ?? (s => s);
        var c = r.Current;
        var sb = new StringBuilder();
        sb.AppendLine(message is null
            ? "**" + e(r.Title) + ": " + t["title"] + " · " + WeekLine(r, t) + "**"
            : "**" + t.Format("messageTitle", e(r.Title), r.Week) + "**");
        foreach (var f in findings)
            sb.AppendLine("- " + e(f.Text));
        sb.AppendLine("> " + t.Format("headline", t.Number(c.CasesIn, 0), t.Number(c.CasesOut, 0), t.Number(c.WorkInProgress, 0), t.Number(c.CycleP90Hours)));
        if (message is { } m)
            sb.AppendLine("> " + t["messageLink"] + ": " + e(Path.GetFullPath(m.Path)));
        return sb.ToString();
    }

    private static string WeekLine(WeeklyReport r, ReportText t)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(r.Zone);
        }
        catch (TimeZoneNotFoundException)
        {
            zone = TimeZoneInfo.Utc;
        }
        var first = TimeZoneInfo.ConvertTimeFromUtc(r.FromUtc, zone);
        var last = TimeZoneInfo.ConvertTimeFromUtc(r.ToUtc, zone).AddDays(-1);
        return t.Format("weekOf", r.Week, t.Date(first), t.Date(last));
    }

    private static string Html(WeeklyReport r, ReportText t, string lang, IReadOnlyList<Finding> findings)
    {
        string E(string s) => WebUtility.HtmlEncode(s);
        var c = r.Current;
        var p = r.Previous;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{E(r.Title)}: {E(t["title"])} {E(r.Week)}</title><style>{Css}</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>{E(r.Title)}: {E(t["title"])}</h1><p class=\"meta\"><b data-kpi=\"week\">{E(WeekLine(r, t))}</b> · {E(t["calendar"])} {E(r.Calendar)}<br>{E(t.Format("hoursNote", r.Calendar))}</p>");
        sb.Append(CultureInfo.InvariantCulture, $"<section id=\"findings\"><h2>{E(t["findings"])}</h2><ol class=\"findings\">");
        foreach (var f in findings)
            sb.Append(CultureInfo.InvariantCulture, $"<li data-finding=\"{E(f.Kind)}\">{E(f.Text)} <a href=\"#{E(f.Anchor)}\">{E(t["evidence"])} ↓</a></li>");
        sb.Append("</ol></section>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"kpis\">{E(t["kpis"])}</h2><div class=\"cards\">");
        void Card(string label, string value, string change, string id) =>
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><div class=\"label\">{E(label)}</div><div class=\"value\" data-kpi=\"{id}\">{E(value)}</div><div class=\"change\">{E(t["change"])} {E(change)}</div></div>");
        Card(t["casesIn"], t.Number(c.CasesIn, 0), t.Change(c.CasesIn, p.CasesIn, decimals: 0), "casesIn");
        Card(t["casesOut"], t.Number(c.CasesOut, 0), t.Change(c.CasesOut, p.CasesOut, decimals: 0), "casesOut");
        Card(t["wip"], t.Number(c.WorkInProgress, 0), t.Change(c.WorkInProgress, p.WorkInProgress, decimals: 0), "workInProgress");
        Card(t["wipAge"], $"{t.Number(c.WipMedianAgeDays)} / {t.Number(c.WipP90AgeDays)}", t.Change(c.WipP90AgeDays, p.WipP90AgeDays), "wipAge");
        Card(t["cycle"], $"{t.Number(c.CycleP50Hours)} / {t.Number(c.CycleP90Hours)}", t.Change(c.CycleP90Hours, p.CycleP90Hours), "cycle");
        if (c.SlaHours is { } slaHours)
            Card(t.Format("slaOf", t.Number(slaHours, 0)), t.Percent(c.SlaAttainment), t.Change(c.SlaAttainment, p.SlaAttainment, percent: true), "slaAttainment");
        Card(t["fpy"], t.Percent(c.FirstPassYield), t.Change(c.FirstPassYield, p.FirstPassYield, percent: true), "firstPassYield");
        Card(t["rework"], t.Percent(c.ReworkRate), t.Change(c.ReworkRate, p.ReworkRate, percent: true), "reworkRate");
        if (r.ReviewRole is { } reviewRole)
            Card(t.ReviewLabel(reviewRole, r.ReviewTarget), t.Percent(c.ReviewRatio), t.Change(c.ReviewRatio, p.ReviewRatio, percent: true), "reviewRatio");
        sb.Append("</div>");
        if (r.SideActivities.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{E(t["sideActivities"])}{E(string.Join(", ", r.SideActivities))}</p>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"trend\">{E(t["trend"])}</h2><h3>{E(t["trendP90"])}</h3><div class=\"chart\">{ReportCharts.TrendHours(r, t)}</div>");
        if (r.ReviewRole is not null)
            sb.Append(CultureInfo.InvariantCulture, $"<h3>{E(t["trendReview"])}</h3><div class=\"chart\">{ReportCharts.TrendReview(r, t)}</div>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"nodes\">{E(t["nodes"])}</h2><table><tr><th>{E(t["node"])}</th><th>{E(t["count"])}</th><th>{E(t["p50"])}</th><th>{E(t["p90"])}</th><th>{E(t["p90Before"])}</th><th>{E(t["share"])}</th></tr>");
        foreach (var n in r.Nodes)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(n.Node)}</td><td>{E(t.Number(n.Count, 0))}</td><td>{E(t.Number(n.P50Hours))}</td><td>{E(t.Number(n.P90Hours))}</td><td>{E(t.Number(n.PreviousP90Hours))}</td><td>{E(t.Percent(n.Share))}</td></tr>");
        sb.Append("</table>");
        if (r.Nodes.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"<h3>{E(t["pareto"])}</h3><div class=\"chart\">{ReportCharts.Pareto(r.Nodes, t)}</div>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"charts\">{E(t["controlCharts"])}</h2>");
        if (r.Charts.Count == 0)
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(t["chartTooFew"])}</p>");
        foreach (var chart in r.Charts)
        {
            var title = chart.Metric == "review-ratio" ? t.Format("chart.review-ratio", r.ReviewRole ?? "") : t["chart.cycle-time"];
            var marks = string.Join(" ", chart.Points.Where(x => x.Signals.Count > 0).Select(x => "I:" + x.Week).Concat(chart.Ranges.Where(x => x.Signals.Count > 0).Select(x => "MR:" + x.Week)));
            sb.Append(CultureInfo.InvariantCulture, $"<section id=\"chart-{chart.Metric}\" data-chart=\"{chart.Metric}\" data-marks=\"{E(marks)}\"><h3>{E(title)}</h3><p class=\"finding\">{E(ChartSentence(chart, t))}</p>");
            if (chart.Transform == "log")
                sb.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{E(t["logNote"])}</p>");
            if (chart.Ranges.Count > 0)
                sb.Append(CultureInfo.InvariantCulture, $"<p class=\"sub\">{E(t["iChart"])}</p>");
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"chart\">{ReportCharts.Control(chart, t)}</div>");
            if (chart.Ranges.Count > 0)
                sb.Append(CultureInfo.InvariantCulture, $"<p class=\"sub\">{E(t["mrChart"])}</p><div class=\"chart\">{ReportCharts.MovingRange(chart, t)}</div>");
            sb.Append("</section>");
        }
        // Every point the charts above mark, this week's first: the same points, so the list and the marks agree.
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"signals\">{E(t["signals"])}</h2>");
        var flagged = r.Charts.SelectMany(ch => ch.Points.Where(x => x.Signals.Count > 0).Select(x => (Chart: ch, Part: "I", Point: x))
                .Concat(ch.Ranges.Where(x => x.Signals.Count > 0).Select(x => (Chart: ch, Part: "MR", Point: x))))
            .OrderByDescending(x => x.Point.Week == r.Week).ThenByDescending(x => x.Point.Week, StringComparer.Ordinal).ThenBy(x => x.Part, StringComparer.Ordinal).ToList();
        if (flagged.Count == 0)
            sb.Append(CultureInfo.InvariantCulture, $"<p data-signals=\"0\">{E(t["noChartSignals"])}</p>");
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"<table data-signals=\"{flagged.Count}\"><tr><th>{E(t["signalChart"])}</th><th>{E(t["signalWeek"])}</th><th>{E(t["signalValue"])}</th><th>{E(t["signalWhat"])}</th></tr>");
            foreach (var (chart, part, point) in flagged)
            {
                var value = part == "MR" ? t.Number(point.Value, 3) : chart.Metric == "review-ratio" ? t.Percent(point.Value) : t.Number(point.Value) + " h";
                var week = point.Week == r.Week ? $"<b>{E(point.Week)}</b> ({E(t["thisWeek"])})" : E(point.Week);
                var name = ReportFindings.MetricName(chart.Metric, "", t) + (chart.Ranges.Count > 0 ? " · " + t[part == "MR" ? "mrChart" : "iChart"] : "");
                sb.Append(CultureInfo.InvariantCulture, $"<tr data-signal=\"{chart.Metric}|{part}:{E(point.Week)}\"><td>{E(name)}</td><td class=\"nw\">{week}</td><td class=\"nw\">{E(value)}</td><td>{E(string.Join(t["sep"], point.Signals.Select(t.Signal)))}</td></tr>");
            }
            sb.Append("</table>");
        }
        if (r.Signals.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h3>{E(t["monitorSignals"])}</h3><ul>");
            foreach (var s in r.Signals)
                sb.Append(CultureInfo.InvariantCulture, $"<li><b>{E(ReportFindings.MetricName(s.Metric, s.Node, t))}</b> ({E(s.Chart)}): {E(t.Signal(s.Signal))}</li>");
            sb.Append("</ul>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"map\">{E(t["map"])}</h2>");
        if (r.Map is { } m)
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\" data-map=\"{m.DrawnVariants}/{m.Variants}\">{E(m.Cases == 0 ? t["mapNone"] : m.DrawnVariants < m.Variants
                ? t.Format("mapSome", t.Number(m.DrawnVariants, 0), t.Number(m.Variants, 0), t.Number(m.DrawnCases, 0), t.Number(m.Cases, 0), t.Percent(m.Cases == 0 ? 0 : (double)m.DrawnCases / m.Cases), t.Number(m.Variants - m.DrawnVariants, 0))
                : t.Format("mapAll", t.Number(m.Cases, 0), t.Number(m.Variants, 0)))}</p>");
        if (r.Map is not { Cases: 0 })
        {
            var (map, problem) = ProcessMapDot.ToSvg(r.MapDot);
            sb.Append(map is null ? $"<p class=\"note\">{E(problem!)}</p>" : $"<div class=\"chart map\">{map}</div><p class=\"legend\">{E(t["mapLegend"])}</p>");
        }
        if (r.Compliance.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"compliance\">{E(t["compliance"])}</h2><table><tr><th>{E(t["rule"])}</th><th>{E(t["checked"])}</th><th>{E(t["violations"])}</th><th>{E(t["examples"])}</th></tr>");
            foreach (var rule in r.Compliance)
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(rule.Rule)}</td><td>{E(t.Number(rule.Checked, 0))}</td><td data-compliance=\"{E(rule.Rule)}\">{E(t.Number(rule.Violations, 0))}</td><td>{E(string.Join(", ", rule.Examples))}</td></tr>");
            sb.Append("</table>");
        }
        if (r.Routing is { } h)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"routing\">{E(t["routing"])}</h2><ul>");
            sb.Append(CultureInfo.InvariantCulture, $"<li>{E(t["model"])} v{h.ModelVersion}: {E(t["liveRatio"])} <b data-routing=\"liveReviewRatio\">{E(h.LiveReviewRatio is { } x ? t.Percent(x) : "–")}</b> ({E(t.Number(h.Suggestions, 0))} / {E(t.Number(h.Orders, 0))})</li>");
            sb.Append(CultureInfo.InvariantCulture, $"<li>{E(t["audit"])}: {(h.AuditOrders == 0 ? E(t["noAudit"]) : $"{E(t.Number(h.AuditNeedingReview, 0))} / {E(t.Number(h.AuditOrders, 0))}, ≤ {E(t.Percent(h.AuditMissRateUpperBound))}")}</li>");
            sb.Append(CultureInfo.InvariantCulture, $"<li>{E(t["drift"])}: {E(string.Join(t["sep"], h.FeatureStability.Take(3).Select(d => $"{d.Feature} {t.Number(d.Psi, 2)}")))}</li>");
            if (h.Policy is { } policy)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<li data-routing=\"policy\">{E(t[policy.Capacity ? "policyCapacity" : "policyAlpha"])}: ");
                sb.Append(policy.Certified
                    ? string.Create(CultureInfo.InvariantCulture, $"{E(t["reviewed"])} {E(t.Percent(policy.ReviewRatio))} ({E(t["asIs"])} {E(t.Percent(policy.AsIsReviewRatio))}), {E(t["recall"])} {E(t.Percent(policy.Recall))}, {E(t["missBound"])} ≤ {E(t.Percent(policy.MissRateUpperBound))} ({E(t["confidence"])} {E(t.Percent(policy.Confidence))}, {E(t["onOrders"])} {E(t.Number(policy.BoundOrders, 0))})")
                    : E(t["notCertified"]));
                sb.Append("</li></ul>");
                sb.Append(CultureInfo.InvariantCulture, $"<table data-routing=\"curve\"><tr><th>{E(t["curveRatio"])}</th><th>{E(t["curveBound"])}</th><th>{E(t["curveOrders"])}</th><th>{E(t["curveReviewed"])}</th><th>{E(t["curveRecall"])}</th><th>{E(t["curveMiss"])}</th></tr>");
                foreach (var point in policy.Curve)
                    sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(t.Percent(point.ReviewRatio))}</td><td>{E(point.MissRateUpperBound is { } b ? "≤ " + t.Percent(b) : t["noneRoutedPast"])}</td><td>{E(t.Number(point.BoundOrders, 0))}</td><td>{E(t.Percent(point.TestReviewRatio))}</td><td>{E(t.Percent(point.TestRecall))}</td><td>{E(t.Percent(point.TestMissRate))}</td></tr>");
                sb.Append("</table>");
            }
            else
                sb.Append("</ul>");
        }
        void Cases(string key, string unit, IReadOnlyList<CaseRow> rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t[key])}</h2><table><tr><th>{E(t["case"])}</th><th>{E(t[unit])}</th><th>{E(t["last"])}</th></tr>");
            foreach (var row in rows)
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(row.CaseId)}</td><td>{E(t.Number(row.Hours))}</td><td>{E(row.LastActivity)}</td></tr>");
            sb.Append("</table>");
        }
        Cases("slowest", "businessHours", r.Slowest);
        Cases("oldest", "ageDays", r.OldestOpen);
        sb.Append("</body></html>");
        return sb.ToString();
    }

    /// <summary>The sentence under a control chart about the report's week.</summary>
    private static string ChartSentence(ChartSummary chart, ReportText t)
    {
        if (chart.ThisWeek is not { } point)
            return t.Format("chartNoPoint", chart.Week);
        var value = chart.Metric == "review-ratio" ? t.Percent(point.Value) : t.Number(point.Value) + " h";
        return point.Signals.Count == 0
            ? t.Format("chartWithin", chart.Week, value)
            : t.Format("chartSignal", chart.Week, value, string.Join(t["sep"], point.Signals.Select(t.Signal)));
    }

    private const string Css = """
        body{font-family:-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei","DejaVu Sans",sans-serif;margin:24px;color:#1d2733;max-width:1050px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
        .meta{color:#5b6776;margin:0 0 16px} .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}
        .card{border:1px solid #dde3ea;border-radius:8px;padding:10px} .label{font-size:12px;color:#5b6776} .value{font-size:20px;font-weight:600}
        .change{font-size:12px;color:#5b6776} table{border-collapse:collapse;width:100%;font-size:13px} th,td{border-bottom:1px solid #eef1f4;padding:4px 6px;text-align:left}
        th{background:#f4f6fa} .chart svg{max-width:100%;height:auto} h3{font-size:14px;margin:16px 0 6px} .sub{font-size:12px;color:#5b6776;margin:6px 0 0}
        .findings{margin:0;padding-left:22px;font-size:15px;line-height:1.5} .findings li{margin:4px 0} .findings a{font-size:12px;color:#3867a8;text-decoration:none}
        #findings{background:#f7f9fc;border:1px solid #dde3ea;border-left:4px solid #3867a8;border-radius:6px;padding:4px 16px 10px;margin-bottom:16px} #findings h2{border:none}
        .finding{margin:4px 0} td.nw{white-space:nowrap} .keys{font-size:12px;color:#1d2733;margin:2px 0 10px 60px} .keys span{margin-right:16px;white-space:nowrap}
        .keys i{display:inline-block;vertical-align:middle;margin-right:5px} .keys i.line{width:18px;height:2px} .keys i.dot{width:8px;height:8px;border-radius:50%} .legend{font-size:12px;color:#5b6776} .map svg{max-width:100%;height:auto} @media print{body{margin:0} .card{break-inside:avoid} h2{break-after:avoid}}
        """;
}
