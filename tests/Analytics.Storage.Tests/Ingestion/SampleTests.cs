using Analytics.Core.Mining;
using Analytics.Storage.Ingestion;
using Analytics.Storage.Mining;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Ingestion;

/// <summary>The committed simulated sample loads cleanly and its injected compliance defects are found by the policy check.</summary>
public sealed class SampleTests
{
    private static string Sample(string name) => Path.Combine(RepositoryPaths.DataSamples, name);

    [Fact]
    public void CsvAndXesSamplesLoadTheSameLogWithNothingQuarantined()
    {
        using var csv = EventStore.Open(":memory:");
        using var xes = EventStore.Open(":memory:");

        var fromCsv = Load.File(csv, Sample("special-price-2000.csv"), ColumnMapping.Load(Sample("special-price-2000.mapping.json")));
        var fromXes = Load.File(xes, Sample("special-price-2000.xes"));

        Assert.Equal(ImportStatus.Loaded, fromCsv.Status);
        Assert.Equal(0, fromCsv.Quarantined);
        Assert.Equal(0, fromXes.Quarantined);
        Assert.Equal(new StoreStatistics(2000, 10_794, 14, 0, 1), csv.Statistics());
        Assert.Equal(csv.Statistics(), xes.Statistics());
    }

    [Fact]
    public void ConformanceFindsExactlyTheInjectedComplianceDefects()
    {
        using var store = EventStore.Open(":memory:");
        Load.File(store, Sample("special-price-2000.csv"), ColumnMapping.Load(Sample("special-price-2000.mapping.json")));
        var truth = File.ReadLines(Sample("special-price-2000.truth.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => (Case: f[0], Controlled: f[1] == "true", Routed: f[4] == "true", Defects: f[7].Split(';'))).ToList();
        using var policyFile = File.OpenRead(Sample(Path.Combine("policies", "special-price.policy.json")));

        var results = new ConformanceChecker(store).Check(ApprovalPolicy.Parse(policyFile, "policy"), MiningFilter.All).ToDictionary(r => r.Rule.Name);

        IEnumerable<string> Injected(string defect) => truth.Where(t => t.Defects.Contains(defect)).Select(t => t.Case).Order(StringComparer.Ordinal);
        Assert.Equal(Injected("filing-after-contract"), results["Filing made before the contract is signed"].Violations);
        Assert.Equal(Injected("order-before-bid-won"), results["No order placed before the bid is won"].Violations);
        // Under the as-is rule the only controlled orders without a PM decision are those that ended before reaching one.
        Assert.Equal(truth.Where(t => t.Controlled && !t.Routed).Select(t => t.Case).Order(StringComparer.Ordinal),
            results["PM reviews every controlled-product order"].Violations);
    }
}
