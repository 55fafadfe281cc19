using System.Globalization;

namespace Analytics.Reports;

/// <summary>The report's words in English and Simplified Chinese, and number formatting for each.</summary>
internal sealed class ReportText
{
    private readonly Dictionary<string, string> _words;

    private ReportText(CultureInfo culture, Dictionary<string, string> words)
    {
        Culture = culture;
        _words = words;
    }

    public CultureInfo Culture { get; }

    public string this[string key] => _words[key];

    public static ReportText For(string lang) => lang switch
    {
        "zh-CN" => new ReportText(CultureInfo.GetCultureInfo("zh-CN"), new()
        {
            ["title"] = "周报", ["sideActivities"] = "以下活动记录在审批流程之外，未计入等待与流程图：", ["slaOf"] = "SLA 达成率（≤ {0} 工时）", ["reviewOf"] = "评审比例（{0}）", ["targetOf"] = "，目标 {0}", ["week"] = "周", ["calendar"] = "工作日历", ["kpis"] = "核心指标", ["change"] = "环比",
            ["casesIn"] = "新进单据", ["casesOut"] = "完成单据", ["wip"] = "在途单据", ["wipAge"] = "在途时长 中位数 / P90（天）",
            ["cycle"] = "端到端时长 中位数 / P90（工时）", ["sla"] = "SLA 达成率", ["fpy"] = "一次通过率", ["rework"] = "返工率",
             ["nodes"] = "各节点等待（工时）与占比", ["node"] = "节点", ["count"] = "次数",
            ["p50"] = "中位数", ["p90"] = "P90", ["share"] = "占比", ["slowest"] = "本周最慢的单据", ["oldest"] = "最久未完成的单据",
            ["case"] = "单据", ["hours"] = "小时", ["last"] = "当前/最后节点", ["signals"] = "统计过程控制信号", ["noSignals"] = "本周无信号。",
            ["pareto"] = "等待时间帕累托", ["trend"] = "最近 8 周：端到端 P90（工时）", ["trendReview"] = "最近 8 周：端到端 P90（工时）与评审比例", ["reviewShort"] = "评审比例（%）", ["target"] = "目标", ["summary"] = "摘要", ["map"] = "本周完成单据的流程图（边的颜色表示等待时长）", ["compliance"] = "合规检查（本周完成的单据）", ["rule"] = "规则", ["checked"] = "适用单据", ["violations"] = "违规", ["examples"] = "示例", ["routing"] = "自动分派（评审需求预测）的健康状况，最近 4 周", ["model"] = "模型", ["liveRatio"] = "实际送评审比例", ["audit"] = "抽检中需要评审的单据", ["drift"] = "特征漂移最大的三项（PSI）", ["policyCapacity"] = "分派策略（按评审容量）", ["policyAlpha"] = "分派策略（按漏检率上限）", ["reviewed"] = "送评审", ["asIs"] = "现状", ["recall"] = "召回率", ["missBound"] = "认证漏检率", ["confidence"] = "置信度", ["curveRecall"] = "测试期召回率", ["noAudit"] = "本期尚无抽检单据，无法估计", ["onOrders"] = "依据跳过评审的单据数", ["notCertified"] = "无法认证：所有单据仍送评审", ["curveRatio"] = "评审比例", ["curveBound"] = "认证漏检率上限", ["curveOrders"] = "依据单数", ["curveReviewed"] = "测试期送评审", ["curveMiss"] = "测试期漏检率", ["noneRoutedPast"] = "无单据跳过评审",
        }),
        _ => new ReportText(CultureInfo.GetCultureInfo("en-US"), new()
        {
            ["title"] = "weekly report", ["sideActivities"] = "Recorded beside the flow and left out of waiting and the map: ", ["slaOf"] = "SLA attainment (≤ {0} h)", ["reviewOf"] = "Review ratio ({0})", ["targetOf"] = ", target {0}", ["week"] = "Week", ["calendar"] = "Calendar", ["kpis"] = "Headline indicators",
            ["change"] = "vs last week", ["casesIn"] = "Cases in", ["casesOut"] = "Cases out", ["wip"] = "Work in progress",
            ["wipAge"] = "WIP age median / p90 (days)", ["cycle"] = "End-to-end median / p90 (business hours)", ["sla"] = "SLA attainment",
            ["fpy"] = "First-pass yield", ["rework"] = "Rework rate", 
            ["nodes"] = "Waiting before each node (business hours) and its share", ["node"] = "Node", ["count"] = "Count", ["p50"] = "Median",
            ["p90"] = "p90", ["share"] = "Share", ["slowest"] = "Slowest cases completed this week", ["oldest"] = "Oldest open cases",
            ["case"] = "Case", ["hours"] = "Hours", ["last"] = "Current / last node", ["signals"] = "SPC signals", ["noSignals"] = "No signal this week.",
            ["pareto"] = "Pareto of waiting time", ["trend"] = "Last 8 weeks: end-to-end p90 (business hours)", ["trendReview"] = "Last 8 weeks: end-to-end p90 (business hours) and review ratio", ["reviewShort"] = "review ratio (%)", ["target"] = "target", ["summary"] = "Summary", ["map"] = "Process map of the cases completed this week (edges coloured by latency)", ["compliance"] = "Compliance (cases completed this week)", ["rule"] = "Rule", ["checked"] = "Cases checked", ["violations"] = "Violations", ["examples"] = "Examples", ["routing"] = "Routing health (review-need model), last 4 weeks", ["model"] = "Model", ["liveRatio"] = "live review ratio", ["audit"] = "Audited orders that needed review (miss-rate bound)", ["drift"] = "Most drifted features (PSI)", ["policyCapacity"] = "Policy (PM capacity)", ["policyAlpha"] = "Policy (miss-rate target)", ["reviewed"] = "reviewed", ["asIs"] = "as is", ["recall"] = "recall", ["missBound"] = "certified miss rate", ["confidence"] = "confidence", ["curveRecall"] = "Test: recall", ["noAudit"] = "no audited order in the window yet, so no bound", ["onOrders"] = "orders routed past it rests on:", ["notCertified"] = "not certifiable: every order in the population still goes to review", ["curveRatio"] = "Review ratio", ["curveBound"] = "Certified miss rate", ["curveOrders"] = "On orders", ["curveReviewed"] = "Test: reviewed", ["curveMiss"] = "Test: miss rate", ["noneRoutedPast"] = "none routed past",
        }),
    };

    /// <summary>A word with its placeholder filled.</summary>
    public string Format(string key, string value) => string.Format(Culture, _words[key], value);

    /// <summary>The label of the review card: role, and target when there is one.</summary>
    public string ReviewLabel(string role, double? target) =>
        target is { } t ? Format("reviewOf", role + Format("targetOf", Percent(t))) : Format("reviewOf", role);

    public string Number(double value, int decimals = 1) => double.IsNaN(value) ? "–" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture);

    public string Percent(double value) => double.IsNaN(value) ? "–" : value.ToString("P1", Culture);

    public string Change(double now, double before, bool percent = false)
    {
        if (double.IsNaN(now) || double.IsNaN(before))
            return "–";
        var d = now - before;
        var sign = d > 0 ? "+" : d < 0 ? "−" : "±";
        return sign + (percent ? Math.Abs(d * 100).ToString("N1", Culture) + " pp" : Math.Abs(d).ToString("N1", Culture));
    }
}
