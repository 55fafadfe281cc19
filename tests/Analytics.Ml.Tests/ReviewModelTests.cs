using Analytics.Core.Routing;
using Analytics.Core.Simulation;
using Analytics.Ml;
using Analytics.Storage;
using Analytics.Storage.Export;
using Analytics.Storage.Ingestion;
using Analytics.Storage.Routing;
using Analytics.Testing;

namespace Analytics.Ml.Tests;

/// <summary>The review-need model on real logs and on simulated orders, with floors on its test-period metrics.</summary>
public sealed class ReviewModelTests
{
    private static RoutingConfig Config(string name)
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.DataSamples, "routing", name));
        return RoutingConfig.Parse(stream, name);
    }

    private static TrainingReport TrainOn(string log, string config)
    {
        using var store = EventStore.Open(":memory:");
        new EventLogLoader(store, new IngestOptions(), TimeProvider.System).LoadAsync(log, null, null, CancellationToken.None).GetAwaiter().GetResult();
        var (_, report) = ReviewModelTrainer.Train(RoutingDataset.Read(store, Config(config)), Config(config));
        return report;
    }

    private static (IReadOnlyList<DecisionCase> Cases, RoutingConfig Config) Read(string log, RoutingConfig config)
    {
        using var store = EventStore.Open(":memory:");
        new EventLogLoader(store, new IngestOptions(), TimeProvider.System).LoadAsync(log, null, null, CancellationToken.None).GetAwaiter().GetResult();
        return (RoutingDataset.Read(store, config), config);
    }

    [Fact]
    public void RequestForPaymentLeakFreeIsBarelyPredictableAndLightGbmIsNoWorseThanTheBaseline()
    {
        // Without the end-of-case Project snapshot, rejection at the first submission is barely predictable: measured
        // 2026-12-01 AUC 0.612 (baseline 0.578); docs/routing.md.
        var report = TrainOn(Path.Combine(RepositoryPaths.RealLogs, "RequestForPayment.xes.gz"), "request-for-payment.routing.json");

        Assert.InRange(report.Auc, 0.55, 0.68);
        Assert.True(report.LightGbmAuc >= report.BaselineAuc, $"LightGBM {report.LightGbmAuc:F3} below the baseline {report.BaselineAuc:F3}");
        Assert.InRange(report.Brier, 0, 0.2);
        // Not certifiable at 5% on these orders, and said so with what would be needed.
        Assert.False(report.Certified);
        Assert.NotNull(report.SmallestCertifiableAlpha);
        Assert.True(report.SmallestCertifiableAlpha > report.Alpha);
    }

    [Theory]
    [InlineData("RequestForPayment.xes.gz", "request-for-payment.routing.json")]
    [InlineData("DomesticDeclarations.xes.gz", "domestic-declarations.routing.json")]
    public void TheRealLogConfigurationsPassTheLeakageAudit(string log, string config)
    {
        var (cases, c) = Read(Path.Combine(RepositoryPaths.RealLogs, log), Config(config));

        var audit = LeakageAudit.Run(cases, c);

        Assert.Empty(audit.Findings);
        Assert.True(audit.Cases > 5000);
    }

    [Fact]
    public void ProjectAsAHistoryKeyOnRequestForPaymentIsFlaggedAndTrainingRefusesItUnlessAccepted()
    {
        var config = Config("request-for-payment.routing.json") with { History = ["OrganizationalEntity", "Project", "Cost Type"] };
        var (cases, _) = Read(Path.Combine(RepositoryPaths.RealLogs, "RequestForPayment.xes.gz"), config);

        var audit = LeakageAudit.Run(cases, config);

        var finding = Assert.Single(audit.Refused);
        Assert.Equal("Project", finding.Key);
        Assert.Contains("UNKNOWN", finding.Evidence, StringComparison.Ordinal);
        var accepted = LeakageAudit.Run(cases, config with { AcceptedFeatures = new Dictionary<string, string> { ["Project"] = "a test" } });
        Assert.Empty(accepted.Refused);
        Assert.Equal("a test", Assert.Single(accepted.Findings).AcceptedBecause);
    }

    [Fact]
    public async Task DemoOrdersNeedingReviewAreFoundAtAFifteenPercentReviewRatio()
    {
        using var temp = new TempFolder();
        var csv = temp.File("demo.csv");
        using (var writer = SimulatedLogWriter.Create("csv", csv, null))
        {
            new ApprovalSimulator(new ApprovalProcessModel { Orders = 30_000, Seed = 42 }).Run(writer, CancellationToken.None);
            await writer.CompleteAsync();
        }

        var report = TrainOn(csv, "special-price.routing.json");

        Assert.True(report.Auc >= 0.95, $"AUC {report.Auc:F3}");
        Assert.True(report.LightGbmAuc >= report.BaselineAuc);
        Assert.Equal("lightgbm", report.Kind);
        // The target: at most 15% of all orders to PMs, at least 95% of the needed reviews caught.
        Assert.True(report.RecallAtReviewRatio[0.15] >= 0.95, $"recall at 15%: {report.RecallAtReviewRatio[0.15]:P1}");
        Assert.True(report.CapacityReviewRatio <= 0.15 && report.CapacityTestRecall >= 0.95,
            $"at 15% capacity: review ratio {report.CapacityReviewRatio:P1}, recall {report.CapacityTestRecall:P1}");
        Assert.InRange(report.CapacityMissRateUpperBound, 0, 0.05);
        Assert.InRange(report.PopulationShare, 0.40, 0.46);
        Assert.True(report.ReviewRatio <= report.PopulationShare);
        Assert.True(report.ObservedTestMissRate <= report.MissRateUpperBound);
        // The guarantee rests on every order before the test period (cross-fitted), and is certified at α = 2%.
        Assert.True(report.Certified);
        Assert.True(report.BoundOrders > 5000, $"{report.BoundOrders} orders routed past under the bound");
        Assert.Equal(ReviewModelTrainer.CurveRatios.Count, report.Curve.Count);
        Assert.All(report.Curve.Zip(report.Curve.Skip(1)), p => Assert.True(p.Second.Test.ReviewRatio >= p.First.Test.ReviewRatio));
    }

    [Fact]
    public async Task TheLabelIsTheOutcomeOfTheFirstVisitOfTheReviewNodeUnlessAnyIsAsked()
    {
        using var temp = new TempFolder();
        // c: approved at its first PM visit, changed at a later one (after rework); d: changed at the first.
        var log = temp.Write("visits.csv", """
            case_id,activity,timestamp,controlled
            c,Price desk approved,2025-01-01T09:00:00Z,true
            c,PM approved,2025-01-01T10:00:00Z,true
            c,Filing resubmitted,2025-01-02T09:00:00Z,true
            c,PM price changed,2025-01-02T10:00:00Z,true
            d,Price desk approved,2025-01-01T09:00:00Z,true
            d,PM price changed,2025-01-01T10:00:00Z,true
            """);
        using var store = EventStore.Open(":memory:");
        await new EventLogLoader(store, new IngestOptions { MaxBadRowRatio = 1 }, TimeProvider.System)
            .LoadAsync(log, new ColumnMapping { CaseAttributes = ["controlled"] }, null, CancellationToken.None);
        var config = Config("special-price.routing.json");

        var first = RoutingDataset.Read(store, config);
        var any = RoutingDataset.Read(store, config with { LabelVisit = LabelVisit.Any });

        Assert.False(first.Single(x => x.CaseId == "c").Label);
        Assert.True(first.Single(x => x.CaseId == "d").Label);
        Assert.True(any.Single(x => x.CaseId == "c").Label);
    }

    [Fact]
    public async Task TheLabelLooksOnlyAfterTheDecision()
    {
        using var temp = new TempFolder();
        var log = temp.Write("label.csv", """
            case_id,activity,timestamp,controlled
            a,Filing submitted,2025-01-01T09:00:00Z,true
            a,PM rejected,2025-01-01T10:00:00Z,true
            a,Price desk approved,2025-01-01T11:00:00Z,true
            b,Filing submitted,2025-01-01T09:00:00Z,true
            b,Price desk approved,2025-01-01T10:00:00Z,true
            b,PM rejected,2025-01-01T11:00:00Z,true
            """);
        using var store = EventStore.Open(":memory:");
        await new EventLogLoader(store, new IngestOptions { MaxBadRowRatio = 1 }, TimeProvider.System)
            .LoadAsync(log, new ColumnMapping { CaseAttributes = ["controlled"] }, null, CancellationToken.None);

        var cases = RoutingDataset.Read(store, Config("special-price.routing.json"));

        Assert.False(cases.Single(c => c.CaseId == "a").Label);
        Assert.True(cases.Single(c => c.CaseId == "b").Label);
        Assert.All(cases, c => Assert.True(c.InPopulation));
    }
}
