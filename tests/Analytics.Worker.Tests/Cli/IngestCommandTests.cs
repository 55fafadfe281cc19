using System.Diagnostics;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Cli;

public sealed class IngestCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string RealLog(string name) => Path.Combine(RepositoryPaths.RealLogs, name);

    [Fact]
    public async Task IngestAndStatsPrintTheDocumentedJson()
    {
        var db = _temp.File("store.duckdb");

        var first = await AnalyticsProcess.RunJsonAsync("ingest", RealLog("DomesticDeclarations.xes.gz"), "--db", db);
        var again = await AnalyticsProcess.RunJsonAsync("ingest", RealLog("DomesticDeclarations.xes.gz"), "--db", db);
        var stats = await AnalyticsProcess.RunJsonAsync("stats", "--db", db);

        var file = first.GetProperty("files")[0];
        Assert.Equal("loaded", file.GetProperty("status").GetString());
        Assert.Equal(56_437, file.GetProperty("events").GetInt64());
        Assert.Equal(10_500, file.GetProperty("cases").GetInt64());
        Assert.Equal(0, file.GetProperty("quarantined").GetInt64());
        Assert.Equal(56_437, first.GetProperty("events").GetInt64());
        Assert.Equal("skipped-duplicate", again.GetProperty("files")[0].GetProperty("status").GetString());
        Assert.Equal(0, again.GetProperty("events").GetInt64());
        Assert.Equal(10_500, stats.GetProperty("cases").GetInt64());
        Assert.Equal(56_437, stats.GetProperty("events").GetInt64());
        Assert.Equal(17, stats.GetProperty("activities").GetInt64());
    }

    [Fact]
    public async Task RejectedFileExitsNonZeroAndNamesTheFile()
    {
        var db = _temp.File("store.duckdb");
        var bad = _temp.Write("broken.xes", "<log><trace>");

        var (code, stdout, stderr) = await AnalyticsProcess.RunAsync("ingest", bad, "--db", db, "--json");

        Assert.Equal(1, code);
        var file = JsonDocument.Parse(stdout).RootElement.GetProperty("files")[0];
        Assert.Equal("rejected", file.GetProperty("status").GetString());
        Assert.Contains("broken.xes", file.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("broken.xes", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOptionIsAUsageError()
    {
        var (code, _, stderr) = await AnalyticsProcess.RunAsync("stats", "--dbb", "x.duckdb");

        Assert.Equal(2, code);
        Assert.Contains("Unrecognized command or argument '--dbb'", stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean '--db'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeldDatabaseIsReportedClearlyWithoutHanging()
    {
        var db = _temp.File("held.duckdb");
        using var holder = Storage.EventStore.Open(db);
        var watch = Stopwatch.StartNew();

        var (code, _, stderr) = await AnalyticsProcess.RunAsync("stats", "--db", db);

        Assert.Equal(3, code);
        Assert.Contains($"{db} is in use by process {Environment.ProcessId}", stderr, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(700)]
    [InlineData(1200)]
    [InlineData(2000)]
    public async Task KillNineDuringIngestThenRerunGivesExactCounts(int killAfterMs)
    {
        var db = _temp.File("killed.duckdb");
        var log = RealLog("bpic2012.xes.gz");
        using (var victim = AnalyticsProcess.Start(["ingest", log, "--db", db]))
        {
            await Task.Delay(killAfterMs);
            if (!victim.HasExited)
                victim.Kill(entireProcessTree: true); // SIGKILL on Linux: no chance to clean up
            await victim.WaitForExitAsync();
        }

        // Whatever moment the kill hit, the file is either wholly in or wholly absent (a kill before the store was
        // created leaves no store at all, which stats refuses to open rather than creating one).
        if (File.Exists(db))
        {
            var after = await AnalyticsProcess.RunJsonAsync("stats", "--db", db);
            Assert.Contains(after.GetProperty("events").GetInt64(), new[] { 0L, 262_200L });
        }

        await AnalyticsProcess.RunJsonAsync("ingest", log, "--db", db);
        var stats = await AnalyticsProcess.RunJsonAsync("stats", "--db", db);
        Assert.Equal(13_087, stats.GetProperty("cases").GetInt64());
        Assert.Equal(262_200, stats.GetProperty("events").GetInt64());
        Assert.Equal(24, stats.GetProperty("activities").GetInt64());
    }
}
