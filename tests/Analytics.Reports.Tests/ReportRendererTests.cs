using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Reports.Tests;

/// <summary>The page is rendered from a report record alone (no store): its title and sections follow the process it describes.</summary>
public sealed class ReportRendererTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static WeekIndicators Week(double reviewRatio, double? sla, double? target) =>
        new(12, 10, 5, 1.5, 4.0, 20.5, 61.0, sla, sla is null ? double.NaN : 0.8, 0.7, 0.2, reviewRatio, target);

    private static WeeklyReport Report(string? reviewRole, double? target, double? sla) =>
        new("2025-W10", new DateTime(2025, 3, 3, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 3, 10, 0, 0, 0, DateTimeKind.Utc), "weekdays-9-17:Europe/Berlin",
            Week(reviewRole is null ? double.NaN : 0.357, sla, target), Week(reviewRole is null ? double.NaN : 0.40, sla, target),
            [new NodeRow("Approve", 10, 2.0, 6.0, 1.0)], [], [], [], Enumerable.Range(0, 8).Select(i => new TrendPoint($"2025-W{i + 3:00}", Week(0.3, sla, target))).ToList(),
            "digraph { }", [], [])
        {
            Title = "Request for payment",
            ReviewRole = reviewRole,
            ReviewTarget = target,
        };

    [Fact]
    public void AProcessWithoutAReviewNodeGetsNoReviewCardAndItsOwnTitle()
    {
        var paths = ReportRenderer.Write(Report(null, null, null), _temp.File("plain"), "en");

        var html = File.ReadAllText(paths[2]);
        Assert.Contains("<h1>Request for payment: weekly report</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-kpi=\"reviewRatio\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-kpi=\"slaAttainment\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Special-price", html, StringComparison.Ordinal);
        Assert.DoesNotContain("PM", html, StringComparison.Ordinal);
        var md = File.ReadAllText(paths[1]);
        Assert.StartsWith("**Request for payment: weekly report · Week 2025-W10, 3 Mar 2025 to 9 Mar 2025**", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Review ratio", md, StringComparison.Ordinal);
    }

    [Fact]
    public void AReviewNodeAndAnSlaGetTheirCardsWithTheProfilesTargets()
    {
        var paths = ReportRenderer.Write(Report("PRODUCT_MANAGER", 0.15, 40), _temp.File("review"), "en");

        var html = File.ReadAllText(paths[2]);
        Assert.Contains("Review ratio (PRODUCT_MANAGER, target 15.0%)", html, StringComparison.Ordinal);
        Assert.Contains("data-kpi=\"reviewRatio\">35.7%<", html, StringComparison.Ordinal);
        Assert.Contains("SLA attainment (≤ 40 h)", html, StringComparison.Ordinal);
        var json = JsonDocument.Parse(File.ReadAllText(paths[0])).RootElement.GetProperty("report");
        Assert.Equal(0.15, json.GetProperty("reviewTarget").GetDouble());
        Assert.Equal("PRODUCT_MANAGER", json.GetProperty("reviewRole").GetString());
    }

    [Fact]
    public void FindingsSayWhatChangedWithItsNumberAndComparisonAndWhenNothingDid()
    {
        var calm = ReportRenderer.Findings(Report(null, null, null), "en");
        Assert.Equal("calm", Assert.Single(calm).Kind);

        var signal = new ChartPointRow("2025-W10", 61.0, 20.0, 10.0, 40.0, ["beyond-limits"], ["a point beyond the control limits"], 10);
        var quiet = new ChartPointRow("2025-W09", 21.0, 20.0, 10.0, 40.0, [], [], 10);
        var report = Report("PRODUCT_MANAGER", 0.15, 40) with { Charts = [new ChartSummary("cycle-time", "imr", "log", [quiet, signal], [], "2025-W10")] };
        var findings = ReportRenderer.Findings(report, "en");

        Assert.Equal(["signal", "sla", "review"], findings.Select(f => f.Kind));
        Assert.Equal("End-to-end time is out of control: the week's median, 61.0 business hours, shows a point beyond the control limits (centre line 20.0 h, limits 10.0–40.0 h).", findings[0].Text);
        Assert.Equal("80.0% of the 10 cases completed this week finished within the 40 h SLA (±0 pp vs last week).", findings[1].Text);
        Assert.Equal("35.7% of completed cases went to PRODUCT_MANAGER review against a target of 15.0%: 20.7 pp above it (−4.3 pp vs last week).", findings[2].Text);
        var zh = ReportRenderer.Findings(report, "zh-CN");
        Assert.Equal("完成单据中有 35.7% 送 PRODUCT_MANAGER 评审，目标为 15.0%：高出 20.7 个百分点（环比 −4.3 个百分点）。", zh[2].Text);
        // The page opens with them, and the chart marks the same point the finding names.
        var html = File.ReadAllText(ReportRenderer.Write(report, _temp.File("findings"), "en")[2]);
        Assert.True(html.IndexOf("id=\"findings\"", StringComparison.Ordinal) < html.IndexOf("id=\"kpis\"", StringComparison.Ordinal));
        Assert.Contains("data-marks=\"I:2025-W10\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-signal=\"cycle-time|I:2025-W10\">", html, StringComparison.Ordinal);
    }
}
