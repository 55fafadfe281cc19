using System.Globalization;
using Analytics.Core.Spc;

namespace Analytics.Reports;

/// <summary>
/// Every word of the report's page, charts and message in English and Simplified Chinese, and number and date
/// formatting for each. Data (node names, case ids, rule names) is never translated.
/// </summary>
internal sealed class ReportText
{
    private readonly Dictionary<string, string> _words;

    private ReportText(CultureInfo culture, string dateFormat, Dictionary<string, string> words)
    {
        Culture = culture;
        DateFormat = dateFormat;
        _words = words;
    }

    public CultureInfo Culture { get; }

    private string DateFormat { get; }

    public string this[string key] => _words[key];

    /// <summary>Every English string of the page, for checking that a translated page left none behind.</summary>
    public static IEnumerable<string> EnglishWords => English.Values;

    public static ReportText For(string lang) => lang == "zh-CN"
        ? new ReportText(CultureInfo.GetCultureInfo("zh-CN"), "yyyy年M月d日", Chinese)
        : new ReportText(CultureInfo.GetCultureInfo("en-US"), "d MMM yyyy", English);

    private static readonly Dictionary<string, string> English = new()
    {
        ["title"] = "weekly report", ["pp"] = " pp", ["sep"] = "; ", ["weekOf"] = "Week {0}, {1} to {2}", ["calendar"] = "Calendar",
        ["hoursNote"] = "Hours are business hours of the calendar {0} unless a column says otherwise.",
        ["sideActivities"] = "Recorded beside the flow and left out of waiting, end-to-end times and the map: ",
        ["findings"] = "This week's findings", ["evidence"] = "evidence",
        ["kpis"] = "Headline indicators", ["change"] = "vs last week",
        ["casesIn"] = "Cases in", ["casesOut"] = "Cases out", ["wip"] = "Work in progress", ["wipAge"] = "WIP age median / p90 (calendar days)",
        ["cycle"] = "End-to-end median / p90 (business hours)", ["slaOf"] = "SLA attainment (≤ {0} h)", ["fpy"] = "First-pass yield", ["rework"] = "Rework rate",
        ["reviewOf"] = "Review ratio ({0})", ["targetOf"] = ", target {0}",
        ["trend"] = "Last 8 weeks", ["trendP90"] = "End-to-end p90 per week (business hours)", ["trendReview"] = "Review ratio per week (% of completed cases), against the target",
        ["nodes"] = "Waiting before each node (business hours) and its share of all waiting", ["node"] = "Node", ["count"] = "Count", ["p50"] = "Median", ["p90"] = "p90",
        ["p90Before"] = "p90 last week", ["share"] = "Share",
        ["pareto"] = "Pareto of waiting time", ["paretoAxis"] = "% of all waiting",
        ["controlCharts"] = "Control charts, last 26 weeks (the first half sets the limits)",
        ["chart.review-ratio"] = "Review ratio per week ({0}): Laney P′ chart",
        ["chart.cycle-time"] = "End-to-end time per week, median of the cases completed: I-MR chart",
        ["logNote"] = "Limits are computed on the logarithm of the hours (the times are skewed) and drawn back in hours.",
        ["iChart"] = "Individuals (I)", ["mrChart"] = "Moving range (MR)",
        ["axisWeek"] = "ISO week", ["axisHours"] = "business hours", ["axisPercent"] = "% of completed cases", ["axisMrLog"] = "MR of ln(hours)",
        ["axisMr"] = "moving range", ["legendValue"] = "weekly value", ["legendCentre"] = "centre line", ["legendLimits"] = "control limits", ["legendSignal"] = "signal",
        ["legendTarget"] = "target {0}",
        ["chartWithin"] = "{0}: {1} — within the limits, no special cause.", ["chartSignal"] = "{0}: {1} — {2}.",
        ["chartNoPoint"] = "No case completed in {0}, so the chart has no point for it.",
        ["chartTooFew"] = "Fewer than four of the last 26 weeks had completed cases: no control chart yet.",
        ["signals"] = "SPC signals on the charts above", ["signalChart"] = "Chart", ["signalWeek"] = "Week", ["signalValue"] = "Value", ["signalWhat"] = "Signal",
        ["thisWeek"] = "this week", ["noChartSignals"] = "No point of the charts above carries a signal.",
        ["monitorSignals"] = "Recorded by the SPC monitor for this week on other charts", ["metric.node-latency"] = "waiting before {0}",
        ["metric.cycle-time"] = "end-to-end time", ["metric.review-ratio"] = "review ratio", ["metric.other"] = "{0}",
        ["map"] = "Process map of the cases completed this week",
        ["mapSome"] = "The {0} most frequent of {1} paths, followed by {2} of the {3} cases completed ({4}); the other {5} paths are not drawn (report --map-coverage sets the share).",
        ["mapAll"] = "Every path of the {0} cases completed is drawn ({1} paths).", ["mapNone"] = "No case completed this week.",
        ["mapLegend"] = "Boxes: an activity and how often it occurred. Arrows: how often one activity directly followed another · the median wall-clock time between them (s, m, h, d); thicker is more frequent; colour from green (fastest median) through amber to red (slowest). Dashed: where cases start and end.",
        ["compliance"] = "Compliance (cases completed this week)", ["rule"] = "Rule", ["checked"] = "Cases checked", ["violations"] = "Violations", ["examples"] = "Examples",
        ["routing"] = "Routing health (review-need model), last 4 weeks", ["model"] = "Model", ["liveRatio"] = "live review ratio",
        ["audit"] = "Audited orders that needed review (miss-rate bound)", ["noAudit"] = "no audited order in the window yet, so no bound",
        ["drift"] = "Most drifted features (PSI; above 0.25 is a large shift)", ["policyCapacity"] = "Policy (review capacity)", ["policyAlpha"] = "Policy (miss-rate target)",
        ["reviewed"] = "reviewed", ["asIs"] = "as is", ["recall"] = "recall", ["missBound"] = "certified miss rate", ["confidence"] = "confidence",
        ["onOrders"] = "orders routed past it rests on:", ["notCertified"] = "not certifiable: every order in the population still goes to review",
        ["curveRatio"] = "Review ratio", ["curveBound"] = "Certified miss rate", ["curveOrders"] = "On orders", ["curveReviewed"] = "Test: reviewed",
        ["curveRecall"] = "Test: recall", ["curveMiss"] = "Test: miss rate", ["noneRoutedPast"] = "none routed past",
        ["slowest"] = "Slowest cases completed this week", ["oldest"] = "Oldest open cases", ["case"] = "Case", ["businessHours"] = "Business hours",
        ["ageDays"] = "Age (calendar days)", ["last"] = "Current / last node",
        ["fNoCases"] = "No case completed in {0}, so the week has no end-to-end time, SLA attainment or review ratio; {1} cases are in progress.",
        ["fSignal.cycle-time"] = "End-to-end time is out of control: the week's median, {0} business hours, shows {1} (centre line {2} h, limits {3}–{4} h).",
        ["fSignal.review-ratio"] = "The review ratio is out of control: {0} of completed cases, {1} (centre line {2}, limits {3}–{4}).",
        ["fMonitor"] = "The SPC monitor recorded {0} signals for this week on other charts, among them {1}.",
        ["fMonitor1"] = "The SPC monitor recorded a signal for this week on another chart: {1}.", ["example"] = "{0} ({1})",
        ["fSla"] = "{0} of the {1} cases completed this week finished within the {2} h SLA ({3} vs last week).",
        ["fReviewAbove"] = "{0} of completed cases went to {1} review against a target of {2}: {3} above it ({4} vs last week).",
        ["fReviewBelow"] = "{0} of completed cases went to {1} review against a target of {2}: {3} below it ({4} vs last week).",
        ["fReview"] = "{0} of completed cases went to {1} review ({2} vs last week).",
        ["fSlower"] = "Waiting before {0} got longer: p90 {1} h against {2} h last week ({3}), over {4} visits.",
        ["fCompliance"] = "{0} of the {1} cases checked broke the rule “{2}”.",
        ["fP90"] = "End-to-end p90 was {0} business hours against {1} h last week ({2}).",
        ["fVolume"] = "{0} cases came in against {1} last week ({2}).",
        ["fCalm"] = "Nothing this week needs attention: no signal on the control charts, and no indicator moved beyond its usual week-to-week range.",
        ["messageTitle"] = "{0}: weekly report for {1} is ready", ["messageLink"] = "The report",
        ["headline"] = "cases in {0}, out {1}, in progress {2}; end-to-end p90 {3} business hours",
        ["signal.beyond-limits"] = "a point beyond the control limits", ["signal.run"] = "{0} points in a row on one side of the centre line",
        ["signal.trend"] = "{0} points in a row steadily rising or falling", ["signal.alternating"] = "{0} points in a row alternating up and down",
        ["signal.zone-a"] = "{0} of {1} points beyond 2σ on one side", ["signal.zone-b"] = "{0} of {1} points beyond 1σ on one side",
        ["signal.stratification"] = "{0} points in a row within 1σ (too little variation)", ["signal.mixture"] = "{0} points in a row beyond 1σ on either side",
        ["signal.cusum-upper"] = "a sustained upward shift (CUSUM)", ["signal.cusum-lower"] = "a sustained downward shift (CUSUM)",
    };

    private static readonly Dictionary<string, string> Chinese = new()
    {
        ["title"] = "周报", ["pp"] = " 个百分点", ["sep"] = "；", ["weekOf"] = "{0} 周（{1} 至 {2}）", ["calendar"] = "工作日历",
        ["hoursNote"] = "除列名另有说明外，时长均为工作日历 {0} 下的工作小时。",
        ["sideActivities"] = "以下活动记录在审批流程之外，未计入等待、端到端时长与流程图：",
        ["findings"] = "本周要点", ["evidence"] = "依据",
        ["kpis"] = "核心指标", ["change"] = "环比",
        ["casesIn"] = "新进单据", ["casesOut"] = "完成单据", ["wip"] = "在途单据", ["wipAge"] = "在途时长 中位数 / P90（自然日）",
        ["cycle"] = "端到端时长 中位数 / P90（工时）", ["slaOf"] = "SLA 达成率（≤ {0} 工时）", ["fpy"] = "一次通过率", ["rework"] = "返工率",
        ["reviewOf"] = "评审比例（{0}）", ["targetOf"] = "，目标 {0}",
        ["trend"] = "最近 8 周", ["trendP90"] = "每周端到端 P90（工时）", ["trendReview"] = "每周评审比例（占完成单据的百分比）与目标",
        ["nodes"] = "各节点之前的等待（工时）及其占全部等待的比例", ["node"] = "节点", ["count"] = "次数", ["p50"] = "中位数", ["p90"] = "P90",
        ["p90Before"] = "上周 P90", ["share"] = "占比",
        ["pareto"] = "等待时间帕累托图", ["paretoAxis"] = "占全部等待的百分比",
        ["controlCharts"] = "控制图，最近 26 周（前一半用于计算控制限）",
        ["chart.review-ratio"] = "每周评审比例（{0}）：Laney P′ 控制图",
        ["chart.cycle-time"] = "每周端到端时长（完成单据的中位数）：I-MR 控制图",
        ["logNote"] = "时长分布偏斜，控制限按工时的对数计算，再换算回工时绘制。",
        ["iChart"] = "单值图（I）", ["mrChart"] = "移动极差图（MR）",
        ["axisWeek"] = "ISO 周", ["axisHours"] = "工时", ["axisPercent"] = "占完成单据的百分比", ["axisMrLog"] = "ln(工时) 的移动极差",
        ["axisMr"] = "移动极差", ["legendValue"] = "每周值", ["legendCentre"] = "中心线", ["legendLimits"] = "控制限", ["legendSignal"] = "信号",
        ["legendTarget"] = "目标 {0}",
        ["chartWithin"] = "{0}：{1}，在控制限内，无特殊原因。", ["chartSignal"] = "{0}：{1}，{2}。",
        ["chartNoPoint"] = "{0} 周没有完成的单据，图中没有该周的点。",
        ["chartTooFew"] = "最近 26 周中有完成单据的周少于 4 周，暂不绘制控制图。",
        ["signals"] = "上方控制图中的信号", ["signalChart"] = "控制图", ["signalWeek"] = "周", ["signalValue"] = "数值", ["signalWhat"] = "信号",
        ["thisWeek"] = "本周", ["noChartSignals"] = "上方控制图中没有出现信号的点。",
        ["monitorSignals"] = "统计过程控制监视器本周在其他控制图上记录的信号", ["metric.node-latency"] = "{0} 之前的等待",
        ["metric.cycle-time"] = "端到端时长", ["metric.review-ratio"] = "评审比例", ["metric.other"] = "{0}",
        ["map"] = "本周完成单据的流程图",
        ["mapSome"] = "绘制了 {1} 种路径中最常见的 {0} 种，覆盖本周完成的 {3} 张单据中的 {2} 张（{4}）；其余 {5} 种路径未绘制（可用 report --map-coverage 调整覆盖比例）。",
        ["mapAll"] = "绘制了本周完成的 {0} 张单据的全部 {1} 种路径。", ["mapNone"] = "本周没有完成的单据。",
        ["mapLegend"] = "方框：活动及其发生次数。箭头：一个活动紧接另一个活动的次数 · 两者之间的自然时间中位数（s 秒、m 分、h 时、d 天）；越粗越频繁；颜色由绿（最快）经黄到红（最慢）。虚线：单据的开始与结束。",
        ["compliance"] = "合规检查（本周完成的单据）", ["rule"] = "规则", ["checked"] = "适用单据", ["violations"] = "违规", ["examples"] = "示例",
        ["routing"] = "自动分派（评审需求预测）的健康状况，最近 4 周", ["model"] = "模型", ["liveRatio"] = "实际送评审比例",
        ["audit"] = "抽检中需要评审的单据（漏检率上限）", ["noAudit"] = "本期尚无抽检单据，无法估计",
        ["drift"] = "特征漂移最大的三项（PSI；大于 0.25 表示显著漂移）", ["policyCapacity"] = "分派策略（按评审容量）", ["policyAlpha"] = "分派策略（按漏检率上限）",
        ["reviewed"] = "送评审", ["asIs"] = "现状", ["recall"] = "召回率", ["missBound"] = "认证漏检率", ["confidence"] = "置信度",
        ["onOrders"] = "依据跳过评审的单据数", ["notCertified"] = "无法认证：所有单据仍送评审",
        ["curveRatio"] = "评审比例", ["curveBound"] = "认证漏检率上限", ["curveOrders"] = "依据单数", ["curveReviewed"] = "测试期送评审",
        ["curveRecall"] = "测试期召回率", ["curveMiss"] = "测试期漏检率", ["noneRoutedPast"] = "无单据跳过评审",
        ["slowest"] = "本周完成的最慢单据", ["oldest"] = "最久未完成的单据", ["case"] = "单据", ["businessHours"] = "工时",
        ["ageDays"] = "已持续（自然日）", ["last"] = "当前/最后节点",
        ["fNoCases"] = "{0} 周没有完成的单据，因此没有端到端时长、SLA 达成率和评审比例；在途单据 {1} 张。",
        ["fSignal.cycle-time"] = "端到端时长失控：本周中位数 {0} 工时，{1}（中心线 {2} 工时，控制限 {3}–{4} 工时）。",
        ["fSignal.review-ratio"] = "评审比例失控：完成单据中 {0} 送评审，{1}（中心线 {2}，控制限 {3}–{4}）。",
        ["fMonitor"] = "统计过程控制监视器本周在其他控制图上记录了 {0} 个信号，其中包括 {1}。",
        ["fMonitor1"] = "统计过程控制监视器本周在另一张控制图上记录了 1 个信号：{1}。", ["example"] = "{0}（{1}）",
        ["fSla"] = "本周完成的 {1} 张单据中有 {0} 在 {2} 工时的 SLA 内完成（环比 {3}）。",
        ["fReviewAbove"] = "完成单据中有 {0} 送 {1} 评审，目标为 {2}：高出 {3}（环比 {4}）。",
        ["fReviewBelow"] = "完成单据中有 {0} 送 {1} 评审，目标为 {2}：低于目标 {3}（环比 {4}）。",
        ["fReview"] = "完成单据中有 {0} 送 {1} 评审（环比 {2}）。",
        ["fSlower"] = "{0} 之前的等待变长：P90 为 {1} 工时，上周 {2} 工时（{3}），共 {4} 次。",
        ["fCompliance"] = "{1} 张受检单据中有 {0} 张违反规则“{2}”。",
        ["fP90"] = "端到端 P90 为 {0} 工时，上周为 {1} 工时（{2}）。",
        ["fVolume"] = "本周新进单据 {0} 张，上周 {1} 张（{2}）。",
        ["fCalm"] = "本周没有需要关注的变化：控制图无信号，各项指标的环比变化均在日常波动范围内。",
        ["messageTitle"] = "{0}：{1} 周报已生成", ["messageLink"] = "报告",
        ["headline"] = "新进 {0}，完成 {1}，在途 {2}；端到端 P90 {3} 工时",
        ["signal.beyond-limits"] = "有点超出控制限", ["signal.run"] = "连续 {0} 点位于中心线同一侧",
        ["signal.trend"] = "连续 {0} 点持续上升或下降", ["signal.alternating"] = "连续 {0} 点上下交替",
        ["signal.zone-a"] = "{1} 点中有 {0} 点在同一侧超出 2σ", ["signal.zone-b"] = "{1} 点中有 {0} 点在同一侧超出 1σ",
        ["signal.stratification"] = "连续 {0} 点位于 1σ 以内（波动过小）", ["signal.mixture"] = "连续 {0} 点位于 1σ 以外（两侧皆有）",
        ["signal.cusum-upper"] = "持续向上偏移（CUSUM）", ["signal.cusum-lower"] = "持续向下偏移（CUSUM）",
    };

    /// <summary>A word with its placeholders filled.</summary>
    public string Format(string key, params object[] values) => string.Format(Culture, _words[key], values);

    /// <summary>The label of the review card: role, and target when there is one.</summary>
    public string ReviewLabel(string role, double? target) =>
        target is { } t ? Format("reviewOf", role + Format("targetOf", Percent(t))) : Format("reviewOf", role);

    /// <summary>What a special-cause signal says, with the test parameters the report's charts use.</summary>
    public string Signal(string signal)
    {
        var t = SpecialCauseTests.Minitab;
        return signal switch
        {
            Signals.Run => Format("signal.run", t.RunLength),
            Signals.Trend => Format("signal.trend", t.TrendLength),
            Signals.Alternating => Format("signal.alternating", t.AlternatingLength),
            Signals.ZoneA => Format("signal.zone-a", t.ZoneACount, t.ZoneACount + 1),
            Signals.ZoneB => Format("signal.zone-b", t.ZoneBCount, t.ZoneBCount + 1),
            Signals.Stratification => Format("signal.stratification", t.StratificationLength),
            Signals.Mixture => Format("signal.mixture", t.MixtureLength),
            _ => _words.TryGetValue("signal." + signal, out var w) ? w : signal,
        };
    }

    public string Date(DateTime local) => local.ToString(DateFormat, Culture);

    public string Number(double value, int decimals = 1) => double.IsNaN(value) ? "–" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture);

    public string Percent(double value) => double.IsNaN(value) ? "–" : value.ToString("P1", Culture);

    /// <summary>A change against last week: counts without decimals, shares in percentage points, others with one decimal.</summary>
    public string Change(double now, double before, bool percent = false, int decimals = 1)
    {
        if (double.IsNaN(now) || double.IsNaN(before))
            return "–";
        var d = now - before;
        var magnitude = percent ? Math.Abs(d * 100) : Math.Abs(d);
        var shown = magnitude.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture);
        if (shown.Trim('0', '.', ',') == "")
            return "±0" + (percent ? _words["pp"] : "");
        return (d > 0 ? "+" : "−") + shown + (percent ? _words["pp"] : "");
    }

    /// <summary>A relative change in percent (+52%), or a dash when the earlier value is zero or missing.</summary>
    public string Relative(double now, double before) =>
        double.IsNaN(now) || double.IsNaN(before) || before == 0 ? "–" : ((now - before) / before).ToString("+0%;−0%;±0%", Culture);
}
