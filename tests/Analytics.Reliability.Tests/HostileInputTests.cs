using Analytics.Application;
using Analytics.Application.Ingestion;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Storage;
using Analytics.Storage.Ingestion;
using Analytics.Testing;

namespace Analytics.Reliability.Tests;

/// <summary>
/// Every input of the corpus loaded into a store that already holds a log: each comes to its expected outcome
/// (loaded, quarantined with its reason, or refused with its reason) within a bound of time, and a refused input
/// leaves the store exactly as it was.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Inputs => HostileCorpus.Names();

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task EachInputComesToItsExpectedOutcome(string name)
    {
        var input = HostileCorpus.ByName[name];
        var path = input.Write(_temp.Path);
        var db = _temp.File("store.duckdb");
        var baseline = _temp.Write("baseline.csv", HostileCorpus.Csv(5, prefix: "base-"));
        using var store = new StoreOnDemand(db, "1GB", create: true);
        var time = new FixedTime(Now);
        using var routing = new RoutingService(store, time);
        var ingest = new IngestService(store, time, new SpcService(store, time), routing);
        Assert.True((await ingest.IngestAsync(new IngestRequest([baseline]), null, CancellationToken.None)).Succeeded);
        var before = await CountsAsync(store);

        // Endless inputs (a pipe, /dev/zero) must not hang: the whole load is bounded.
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var mappingPath = input.Mapping is null ? null : WriteMapping(input.Mapping);
        var run = await ingest.IngestAsync(new IngestRequest([path], mappingPath, Limits: input.Limits), null, bound.Token);

        Assert.False(bound.IsCancellationRequested, $"{name}: the load did not finish within two minutes");
        Assert.True(run.Succeeded, $"{name}: {run.Problem?.Message}");
        var file = Assert.Single(run.Value!.Files);
        var after = await CountsAsync(store);
        var reasons = file.Status == ImportStatus.Rejected ? file.Reason ?? "" : await QuarantineReasonsAsync(store);
        switch (input.Expected)
        {
            case Outcome.Refused:
                Assert.True(file.Status == ImportStatus.Rejected, $"{name}: expected a refusal, got {file.Status} ({file.Events} events, {file.Quarantined} quarantined)");
                Assert.Equal(before, after);
                break;
            case Outcome.Loaded:
                Assert.True(file.Status == ImportStatus.Loaded, $"{name}: expected a load, got {file.Status}: {file.Reason}");
                Assert.Equal(input.Events, file.Events);
                Assert.Equal(0, file.Quarantined);
                Assert.Equal(before.Events + input.Events, after.Events);
                break;
            case Outcome.Quarantined:
                Assert.True(file.Status == ImportStatus.Loaded, $"{name}: expected a load with quarantine, got {file.Status}: {file.Reason}");
                Assert.Equal(input.Events, file.Events);
                Assert.Equal(input.Quarantined, file.Quarantined);
                Assert.Equal(before.Quarantined + input.Quarantined, after.Quarantined);
                break;
        }
        foreach (var word in input.Reason)
            Assert.True(reasons.Contains(word, StringComparison.OrdinalIgnoreCase), $"{name}: the reason should say '{word}': {reasons}");
        // No product message dumps DuckDB's own wording or a .NET exception name.
        Assert.DoesNotContain("Exception", reasons, StringComparison.Ordinal);
        Assert.DoesNotContain("sniff", reasons, StringComparison.OrdinalIgnoreCase);
        Assert.True(reasons.Length < 1500, $"{name}: a reason of {reasons.Length} characters is a dump, not a sentence: {reasons}");
    }

    /// <summary>The bad-row summary names each reason once with its count, however many rows share it.</summary>
    [Fact]
    public async Task TheBadRowSummaryNamesEachReasonOnce()
    {
        var input = HostileCorpus.ByName["csv-missing-case-ids.csv"];
        var path = input.Write(_temp.Path);
        using var store = new StoreOnDemand(_temp.File("s.duckdb"), "1GB", create: true);
        var time = new FixedTime(Now);
        using var routing = new RoutingService(store, time);
        var run = await new IngestService(store, time, new SpcService(store, time), routing).IngestAsync(new IngestRequest([path]), null, CancellationToken.None);

        var reason = Assert.Single(run.Value!.Files).Reason!;
        Assert.Equal(1, CountOf(reason, "missing case id"));
        Assert.Contains("163 of 500 rows are bad", reason, StringComparison.Ordinal);
    }

    private string WriteMapping(ColumnMapping mapping)
    {
        var fields = new List<string>();
        if (mapping.Encoding != ColumnMapping.Default.Encoding)
            fields.Add($"\"encoding\": \"{mapping.Encoding}\"");
        if (mapping.CaseAttributes.Count > 0)
            fields.Add($"\"caseAttributes\": [{string.Join(", ", mapping.CaseAttributes.Select(a => $"\"{a}\""))}]");
        return _temp.Write("mapping-" + Guid.NewGuid().ToString("N") + ".json", "{" + string.Join(", ", fields) + "}");
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            n++;
        return n;
    }

    private static Task<(long Events, long Cases, long Files, long Quarantined)> CountsAsync(StoreOnDemand store) => store.RunAsync(s =>
        (s.Long("SELECT count(*) FROM events"),
         s.Long("SELECT count(*) FROM cases"),
         s.Long("SELECT count(*) FROM files"),
         s.Long("SELECT count(*) FROM quarantine")), CancellationToken.None);

    private static Task<string> QuarantineReasonsAsync(StoreOnDemand store) =>
        store.RunAsync(s => s.Scalar("SELECT coalesce(string_agg('line ' || coalesce(line::VARCHAR, '?') || ': ' || reason, ' | ' ORDER BY line), '') FROM quarantine")?.ToString() ?? "", CancellationToken.None);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
