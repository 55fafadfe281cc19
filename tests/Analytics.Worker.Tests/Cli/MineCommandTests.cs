using Analytics.Testing;

namespace Analytics.Worker.Tests.Cli;

public sealed class MineCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> RunningExampleAsync()
    {
        var db = _temp.File("mine.duckdb");
        await AnalyticsProcess.RunJsonAsync("ingest", Path.Combine(RepositoryPaths.RealLogs, "running-example.xes"), "--db", db);
        return db;
    }

    [Fact]
    public async Task MineVerbsPrintTheDocumentedJson()
    {
        var db = await RunningExampleAsync();

        var dfg = await AnalyticsProcess.RunJsonAsync("mine", "dfg", "--db", db, "--calendar", "utc-weekdays-9-17");
        var variants = await AnalyticsProcess.RunJsonAsync("mine", "variants", "--db", db);
        var cases = await AnalyticsProcess.RunJsonAsync("mine", "cases", "--db", db);

        Assert.Equal(16, dfg.GetProperty("edges").GetArrayLength());
        var first = dfg.GetProperty("edges")[0];
        foreach (var field in new[] { "from", "to", "count", "cases", "meanSeconds", "medianSeconds", "p90Seconds", "p95Seconds", "minSeconds", "maxSeconds", "stdevSeconds" })
            Assert.True(first.TryGetProperty(field, out _), $"edge has no '{field}'");
        Assert.Equal(6, variants.GetProperty("variants").GetArrayLength());
        Assert.Equal(6, cases.GetProperty("cases").GetInt64());
        // pm4py's median case duration on this log (../shared/peer-reference/running-example.pm4py.json).
        Assert.Equal(815_940, cases.GetProperty("medianSeconds").GetDouble(), 1.0);
    }

    [Fact]
    public async Task DotOutputIsAGraphvizDigraphWithEveryEdge()
    {
        var db = await RunningExampleAsync();

        var (code, dot, stderr) = await AnalyticsProcess.RunAsync("mine", "dfg", "--format", "dot", "--db", db);

        Assert.True(code == 0, stderr);
        Assert.StartsWith("digraph process_map {", dot, StringComparison.Ordinal);
        Assert.Contains("\"register request\" -> \"examine casually\" [label=\"3 · ", dot, StringComparison.Ordinal);
        // 16 edges, one start arrow (every case starts with register request), two end arrows (pay compensation, reject request).
        Assert.Equal(16 + 1 + 2, dot.Split('\n').Count(l => l.Contains("->", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UnknownCalendarIsAUsageErrorNamingTheBuiltIns()
    {
        var db = await RunningExampleAsync();

        var (code, _, stderr) = await AnalyticsProcess.RunAsync("mine", "dfg", "--db", db, "--calendar", "mars");

        Assert.Equal(2, code);
        Assert.Contains("utc-weekdays-9-17, cn-shanghai", stderr, StringComparison.Ordinal);
    }
}
