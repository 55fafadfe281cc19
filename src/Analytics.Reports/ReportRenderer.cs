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
        var paths = new[] { Path.Combine(folder, "report.json"), Path.Combine(folder, "report.md"), Path.Combine(folder, "report.html") };
        File.WriteAllText(paths[0], JsonSerializer.Serialize(new { lang, report }, Json));
        File.WriteAllText(paths[1], Markdown(report, text));
        File.WriteAllText(paths[2], Html(report, text, lang));
        return paths;
    }

    private static string Markdown(WeeklyReport r, ReportText t)
    {
        var c = r.Current;
        var p = r.Previous;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"**{r.Title}: {t["title"]} · {r.Week}**");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- {t["casesIn"]}: {t.Number(c.CasesIn, 0)} ({t.Change(c.CasesIn, p.CasesIn)}) · {t["casesOut"]}: {t.Number(c.CasesOut, 0)} ({t.Change(c.CasesOut, p.CasesOut)}) · {t["wip"]}: {t.Number(c.WorkInProgress, 0)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- {t["cycle"]}: {t.Number(c.CycleP50Hours)} / {t.Number(c.CycleP90Hours)} ({t.Change(c.CycleP90Hours, p.CycleP90Hours)})");
        var rates = new List<string>();
        if (c.SlaHours is { } sla)
            rates.Add($"{t.Format("slaOf", t.Number(sla, 0))}: {t.Percent(c.SlaAttainment)}");
        rates.Add($"{t["fpy"]}: {t.Percent(c.FirstPassYield)}");
        if (r.ReviewRole is { } role)
            rates.Add($"{t.ReviewLabel(role, r.ReviewTarget)}: {t.Percent(c.ReviewRatio)} ({t.Change(c.ReviewRatio, p.ReviewRatio, percent: true)})");
        sb.AppendLine("- " + string.Join(" · ", rates));
        if (r.Nodes.Count > 0)
            sb.AppendLine($"- {t["nodes"]}: " + string.Join("; ", r.Nodes.Take(3).Select(n => $"{n.Node} {t.Percent(n.Share)} (p90 {t.Number(n.P90Hours)} h)")));
        sb.AppendLine(r.Signals.Count == 0 ? $"- {t["signals"]}: {t["noSignals"]}" : $"- {t["signals"]}: " + string.Join("; ", r.Signals.Take(5).Select(s => $"{s.Chart.Split('|')[1]} {s.Chart.Split('|')[0]}: {s.Meaning}")));
        return sb.ToString();
    }

    private static string Html(WeeklyReport r, ReportText t, string lang)
    {
        string E(string s) => WebUtility.HtmlEncode(s);
        var c = r.Current;
        var p = r.Previous;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{E(r.Title)}: {E(t["title"])} {E(r.Week)}</title><style>{Css}</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>{E(r.Title)}: {E(t["title"])}</h1><p class=\"meta\">{E(t["week"])} <b data-kpi=\"week\">{E(r.Week)}</b> · {E(t["calendar"])} {E(r.Calendar)}</p>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["kpis"])}</h2><div class=\"cards\">");
        void Card(string label, string value, string change, string id) =>
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><div class=\"label\">{E(label)}</div><div class=\"value\" data-kpi=\"{id}\">{E(value)}</div><div class=\"change\">{E(t["change"])} {E(change)}</div></div>");
        Card(t["casesIn"], t.Number(c.CasesIn, 0), t.Change(c.CasesIn, p.CasesIn), "casesIn");
        Card(t["casesOut"], t.Number(c.CasesOut, 0), t.Change(c.CasesOut, p.CasesOut), "casesOut");
        Card(t["wip"], t.Number(c.WorkInProgress, 0), t.Change(c.WorkInProgress, p.WorkInProgress), "workInProgress");
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
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t[r.ReviewRole is null ? "trend" : "trendReview"])}</h2><div class=\"chart\">{ReportCharts.Trend(r, t)}</div>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["nodes"])}</h2><table><tr><th>{E(t["node"])}</th><th>{E(t["count"])}</th><th>{E(t["p50"])}</th><th>{E(t["p90"])}</th><th>{E(t["share"])}</th></tr>");
        foreach (var n in r.Nodes)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(n.Node)}</td><td>{E(t.Number(n.Count, 0))}</td><td>{E(t.Number(n.P50Hours))}</td><td>{E(t.Number(n.P90Hours))}</td><td>{E(t.Percent(n.Share))}</td></tr>");
        sb.Append("</table>");
        if (r.Nodes.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["pareto"])}</h2><div class=\"chart\">{ReportCharts.Pareto(r.Nodes)}</div>");
        foreach (var chart in r.Charts)
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(chart.Title)}</h2><p class=\"finding\">{E(chart.Finding)}</p><div class=\"chart\">{ReportCharts.Control(chart)}</div>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["map"])}</h2>");
        var (map, problem) = ProcessMapDot.ToSvg(r.MapDot);
        sb.Append(map is null ? $"<p class=\"note\">{E(problem!)}</p>" : $"<div class=\"chart map\">{map}</div>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["signals"])}</h2>");
        if (r.Signals.Count == 0)
            sb.Append(CultureInfo.InvariantCulture, $"<p>{E(t["noSignals"])}</p>");
        else
        {
            sb.Append("<ul>");
            foreach (var s in r.Signals)
                sb.Append(CultureInfo.InvariantCulture, $"<li><b>{E(s.Chart.Split('|')[1].Length > 0 ? s.Chart.Split('|')[1] : s.Chart.Split('|')[0])}</b> ({E(s.Chart.Split('|')[0])}): {E(s.Meaning)}</li>");
            sb.Append("</ul>");
        }
        if (r.Compliance.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["compliance"])}</h2><table><tr><th>{E(t["rule"])}</th><th>{E(t["checked"])}</th><th>{E(t["violations"])}</th><th>{E(t["examples"])}</th></tr>");
            foreach (var rule in r.Compliance)
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(rule.Rule)}</td><td>{E(t.Number(rule.Checked, 0))}</td><td data-compliance=\"{E(rule.Rule)}\">{E(t.Number(rule.Violations, 0))}</td><td>{E(string.Join(", ", rule.Examples))}</td></tr>");
            sb.Append("</table>");
        }
        if (r.Routing is { } h)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"routing\">{E(t["routing"])}</h2><ul>");
            sb.Append(CultureInfo.InvariantCulture, $"<li>{E(t["model"])} v{h.ModelVersion}: {E(t["liveRatio"])} <b data-routing=\"liveReviewRatio\">{E(h.LiveReviewRatio is { } x ? t.Percent(x) : "–")}</b> ({E(t.Number(h.Suggestions, 0))} / {E(t.Number(h.Orders, 0))})</li>");
            sb.Append(CultureInfo.InvariantCulture, $"<li>{E(t["audit"])}: {(h.AuditOrders == 0 ? E(t["noAudit"]) : $"{E(t.Number(h.AuditNeedingReview, 0))} / {E(t.Number(h.AuditOrders, 0))}, ≤ {E(t.Percent(h.AuditMissRateUpperBound))}")}</li>");
            sb.Append(CultureInfo.InvariantCulture, $"<li>{E(t["drift"])}: {E(string.Join("; ", h.FeatureStability.Take(3).Select(d => $"{d.Feature} {t.Number(d.Psi, 2)}")))}</li>");
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
        void Cases(string key, IReadOnlyList<CaseRow> rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t[key])}</h2><table><tr><th>{E(t["case"])}</th><th>{E(t["hours"])}</th><th>{E(t["last"])}</th></tr>");
            foreach (var row in rows)
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(row.CaseId)}</td><td>{E(t.Number(row.Hours))}</td><td>{E(row.LastActivity)}</td></tr>");
            sb.Append("</table>");
        }
        Cases("slowest", r.Slowest);
        Cases("oldest", r.OldestOpen);
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private const string Css = """
        body{font-family:-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px;color:#1d2733;max-width:1100px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
        .meta{color:#5b6776;margin:0 0 16px} .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}
        .card{border:1px solid #dde3ea;border-radius:8px;padding:10px} .label{font-size:12px;color:#5b6776} .value{font-size:20px;font-weight:600}
        .change{font-size:12px;color:#5b6776} table{border-collapse:collapse;width:100%;font-size:13px} th,td{border-bottom:1px solid #eef1f4;padding:4px 6px;text-align:left}
        th{background:#f4f6fa} .chart svg{max-width:100%;height:auto} @media print{body{margin:0} .card{break-inside:avoid} h2{break-after:avoid}}
        """;
}
