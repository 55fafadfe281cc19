using Analytics.Core.Routing;

namespace Analytics.Core.Tests.Routing;

/// <summary>Nothing from after a decision reaches its features.</summary>
public sealed class FeatureBuilderTests
{
    private static readonly RoutingConfig Config = new()
    {
        Decision = "Price desk approved", LabelActivities = ["PM rejected"], CaseAttributes = ["amount", "segment"], History = ["rep"],
        TimeZone = "Asia/Shanghai",
    };

    private static DecisionCase Case(string id, int decisionDay, int endDay, bool label, string rep) =>
        new(id, new DateTime(2025, 3, 1, 2, 0, 0, DateTimeKind.Utc).AddDays(decisionDay), new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc).AddDays(endDay), true, label,
            new Dictionary<string, object?> { ["amount"] = 1000.0 * decisionDay, ["segment"] = "carrier", ["rep"] = rep });

    [Fact]
    public void HistoryCountsOnlyCasesClosedBeforeTheDecision()
    {
        List<DecisionCase> cases = [Case("a", 0, 1, true, "r1"), Case("b", 1, 9, true, "r1"), Case("c", 5, 6, false, "r1")];

        var c = FeatureBuilder.Build(cases, Config).Single(r => r.CaseId == "c");

        // At c's decision (day 5) only a has closed (day 1); b, still open until day 9, must not count.
        Assert.Equal(1, c.Numeric["rep history count"]);
        Assert.Equal(1, c.Numeric["open cases at decision"]);
    }

    [Fact]
    public void ChangingWhatHappensAfterADecisionLeavesItsFeaturesAlone()
    {
        List<DecisionCase> cases = [Case("a", 0, 1, true, "r1"), Case("b", 1, 9, true, "r1"), Case("c", 5, 6, false, "r1"), Case("d", 7, 8, true, "r2")];
        var before = FeatureBuilder.Build(cases, Config).Single(r => r.CaseId == "c");

        // Rewrite the future of day 5: c's own outcome and end, b's outcome, d entirely.
        List<DecisionCase> rewritten = [cases[0], cases[1] with { Label = false, EndUtc = cases[1].EndUtc.AddDays(30) }, cases[2] with { Label = true, EndUtc = cases[2].EndUtc.AddDays(3) },
            cases[3] with { Label = false }];
        var after = FeatureBuilder.Build(rewritten, Config).Single(r => r.CaseId == "c");

        Assert.Equal(before.Numeric.OrderBy(p => p.Key), after.Numeric.OrderBy(p => p.Key));
        Assert.Equal(before.Categorical.OrderBy(p => p.Key), after.Categorical.OrderBy(p => p.Key));
    }
}
