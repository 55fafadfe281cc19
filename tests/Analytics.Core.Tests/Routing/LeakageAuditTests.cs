using Analytics.Core.Routing;
using Analytics.Core.Simulation;

namespace Analytics.Core.Tests.Routing;

public sealed class LeakageAuditTests
{
    private static RoutingConfig Config(params string[] attributes) => new()
    {
        Decision = "Price desk approved",
        LabelActivities = ["PM rejected"],
        CaseAttributes = attributes,
    };

    /// <summary>Orders whose outcome follows a strong genuine rule (below the floor price: 98% need review) and a snapshot (UNKNOWN on every abandoned order).</summary>
    private static List<DecisionCase> Orders()
    {
        var sampler = new Sampler(4);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return Enumerable.Range(0, 4000).Select(i =>
        {
            var below = sampler.Chance(0.05);
            var needed = sampler.Chance(below ? 0.98 : 0.08);
            var abandoned = needed && sampler.Chance(0.5);
            return new DecisionCase($"c{i}", start.AddHours(i), start.AddHours(i + 30), true, needed, new Dictionary<string, object?>
            {
                ["below_floor"] = below,
                ["project"] = abandoned ? "UNKNOWN" : $"P{sampler.Next(40)}",
                ["amount"] = Math.Round(sampler.Uniform(1000, 90000)),
            });
        }).ToList();
    }

    [Fact]
    public void APlaceholderThatRevealsTheOutcomeIsRefusedAndAStrongGenuineRuleIsOnlyShown()
    {
        var audit = LeakageAudit.Run(Orders(), Config("below_floor", "project", "amount"));

        var refused = Assert.Single(audit.Refused);
        Assert.Equal(("project", "placeholder"), (refused.Key, refused.Kind));
        Assert.Contains("'UNKNOWN'", refused.Evidence, StringComparison.Ordinal);
        // 'true' of below_floor: 98% needed review on 5% of orders — shown to be checked, training goes on.
        var check = Assert.Single(audit.ToCheck);
        Assert.Equal("below_floor", check.Key);
        Assert.DoesNotContain(audit.Findings, f => f.Key == "amount");
    }

    [Fact]
    public void AFeatureAcceptedWithAReasonIsReportedButNotRefused()
    {
        var config = Config("project") with { AcceptedFeatures = new Dictionary<string, string> { ["project"] = "entered at submission" } };

        var audit = LeakageAudit.Run(Orders(), config);

        Assert.Empty(audit.Refused);
        Assert.Equal("entered at submission", Assert.Single(audit.Findings).AcceptedBecause);
    }
}
