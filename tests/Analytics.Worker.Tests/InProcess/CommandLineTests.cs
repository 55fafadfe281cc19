using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Worker.Tests.InProcess;

/// <summary>The command line in process: each verb's own help, and Ctrl-C stopping a load cleanly.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string[]> Verbs() => new()
    {
        { "ingest", ["--mapping", "--max-bad-ratio", "--accept"] },
        { "stats", ["--db", "--json"] },
        { "profile show", ["--db"] },
        { "profile suggest", ["--db"] },
        { "profile set", ["FILE"] },
        { "profile accept", ["VERSION"] },
        { "mine dfg", ["--calendar", "--no-calendar", "--where", "--include-side", "--format"] },
        { "mine variants", ["--top", "default: 20 as text, all with --json"] },
        { "mine nodes", ["--by", "[default: node]"] },
        { "mine rework", ["--reject-pattern"] },
        { "mine conformance", ["--policy"] },
        { "spc", ["--chart", "--csv", "--metric", "--run-length", "--tests", "--usl"] },
        { "monitor", ["--db"] },
        { "generate", ["--orders", "--seed", "--process-seed", "--routing"] },
        { "train", ["--config"] },
        { "route", ["--order"] },
        { "models", ["--db"] },
        { "models health", ["--days", "[default: 28]"] },
        { "report", ["--week", "--out", "--lang", "--calendar", "--sla", "--policy"] },
        { "whatif calibrate", ["--train", "--test", "--exclude", "--route-by", "--warmup-days", "[default: 30]"] },
        { "whatif run", ["--scenario", "--replications", "--horizon-days"] },
        { "demo", ["--db"] },
        { "audit", ["--config"] },
        { "signals", ["--top", "--chart-key"] },
        { "serve", ["--inbox", "--urls"] },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task EveryVerbHasItsOwnHelpWithEveryOption(string verb, string[] expected)
    {
        var (code, stdout, _) = await Cli.RunAsync([.. verb.Split(' '), "--help"]);

        Assert.Equal(0, code);
        // The usage line names the verb (the program's name is the test host's here, "analytics" when run).
        var usage = stdout.Split('\n').SkipWhile(l => !l.StartsWith("Usage:", StringComparison.Ordinal)).Skip(1).First();
        Assert.Contains($" {verb} ", usage + " ", StringComparison.Ordinal);
        foreach (var e in expected)
            Assert.Contains(e, stdout, StringComparison.Ordinal);
        var (_, root, _) = await Cli.RunAsync(["--help"]);
        Assert.NotEqual(root, stdout);
    }

    [Fact]
    public async Task CtrlCStopsTheLoadOfALargeCsvWithinTwoSecondsAndLeavesTheStoreAsItWas()
    {
        var db = _temp.File("store.duckdb");
        Assert.Equal(0, (await Cli.RunAsync(["ingest", Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"), "--db", db, "--json"])).ExitCode);
        var before = JsonDocument.Parse((await Cli.RunAsync(["stats", "--db", db, "--json"])).Stdout).RootElement.Clone();
        var csv = _temp.File("large.csv");
        await using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20))
        {
            await writer.WriteLineAsync("case_id,activity,timestamp,resource");
            var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < 4_000_000; i++)
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"L-{i / 5},step {i % 5},{start.AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ},r{i % 17}"));
        }

        using var cancel = new CancellationTokenSource();
        // On a thread of its own, as the process's main thread while Ctrl-C arrives on another.
        var run = Task.Run(() => Cli.RunAsync(["ingest", csv, "--db", db], cancel.Token));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(run.IsCompleted, "the load finished before it could be cancelled; make the file larger");
        var signalled = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var (code, _, stderr) = await run;
        var took = signalled.Elapsed;

        Assert.Equal(130, code);
        Assert.Contains("cancelled", stderr, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(2), $"the verb returned {took.TotalSeconds:F2} s after the signal");
        var after = JsonDocument.Parse((await Cli.RunAsync(["stats", "--db", db, "--json"])).Stdout).RootElement;
        foreach (var count in new[] { "cases", "events", "quarantined", "files" })
            Assert.Equal(before.GetProperty(count).GetInt64(), after.GetProperty(count).GetInt64());
    }

    [Fact]
    public async Task AMistypedDatabaseIsAnErrorAndCreatesNothing()
    {
        var (code, _, stderr) = await Cli.RunAsync(["mine", "dfg", "--db", _temp.File("typo.duckdb")]);

        Assert.Equal(3, code);
        Assert.Contains("no such database", stderr, StringComparison.Ordinal);
        Assert.Contains("--create", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("typo.duckdb")));
    }

    [Fact]
    public async Task AConditionOnAnAttributeTheLogLacksIsRefusedWithTheAttributesItHas()
    {
        var db = _temp.File("where.duckdb");
        await Cli.RunAsync(["ingest", Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"), "--db", db]);

        var (code, _, stderr) = await Cli.RunAsync(["mine", "variants", "--where", "controled=true", "--db", db]);

        Assert.Equal(2, code);
        Assert.Contains("no case attribute 'controled'", stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'controlled'", stderr, StringComparison.Ordinal);
        var (textCode, _, textError) = await Cli.RunAsync(["mine", "nodes", "--where", "order_amount>abc", "--db", db]);
        Assert.Equal(2, textCode);
        Assert.Contains("'order_amount' holds numbers in this store, and 'abc' is not one", textError, StringComparison.Ordinal);
        var (nanCode, _, nanError) = await Cli.RunAsync(["mine", "nodes", "--where", "order_amount>=NaN", "--db", db]);
        Assert.Equal(2, nanCode);
        Assert.Contains("not a finite number", nanError, StringComparison.Ordinal);
        var (typoCode, typoOut, typoError) = await Cli.RunAsync(["minee", "--json"]);
        Assert.Equal(2, typoCode);
        Assert.Empty(typoOut);
        Assert.Contains("mine", typoError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDemoPrintsTheAsIsShareAndAPolicyNearFifteenPercentWithItsCertifiedBound()
    {
        var db = _temp.File("demo.duckdb");

        var (code, stdout, stderr) = await Cli.RunAsync(["demo", "--db", db]);

        Assert.True(code == 0, stderr);
        // In words a process owner reads: the as-is share, the policy's ratio, recall and the certified bound.
        Assert.Matches(@"as is 4\d\.\d% of orders go to a PM; the policy sends 1\d\.\d%", stdout);
        Assert.Matches(@"miss rate among the rest ≤ \d\.\d\d% \(90% confidence, [\d,]+ orders\)", stdout);
        // Five lines of what it did, then three commands.
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, lines.Length);
        Assert.StartsWith("weekly report for ", lines[3], StringComparison.Ordinal);
        Assert.Contains("try next:", stdout, StringComparison.Ordinal);
        Assert.Contains($"analytics signals --top 10 --db {db}", stdout, StringComparison.Ordinal);
        var (again, json, _) = await Cli.RunAsync(["demo", "--db", db, "--json"]);
        Assert.Equal(0, again);
        var model = JsonDocument.Parse(json).RootElement.GetProperty("model");
        // On 30,000 orders with the last three months as the test period: at most 15% of orders to a PM, at least 95%
        // of the needed reviews caught, the miss rate among the rest certified at most 3% with 90% confidence.
        Assert.InRange(model.GetProperty("asIsReviewRatio").GetDouble(), 0.40, 0.46);
        Assert.True(model.GetProperty("certified").GetBoolean());
        Assert.InRange(model.GetProperty("reviewRatio").GetDouble(), 0.05, 0.15);
        Assert.InRange(model.GetProperty("recall").GetDouble(), 0.95, 1);
        Assert.InRange(model.GetProperty("missRateUpperBound").GetDouble(), 0, 0.03);
        Assert.Equal(0.1, model.GetProperty("delta").GetDouble(), 9);
        Assert.True(model.GetProperty("boundOrders").GetInt32() > 5000);
    }

    [Fact]
    public async Task SignalsListsWhatTheMonitorRecordedLatestFirst()
    {
        var db = _temp.File("signals.duckdb");
        Assert.Equal(0, (await Cli.RunAsync(["ingest", Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"), "--db", db, "--quiet"])).ExitCode);
        var (none, empty, _) = await Cli.RunAsync(["signals", "--db", db]);
        Assert.Equal(0, none);
        Assert.Contains("no SPC signal recorded yet", empty, StringComparison.Ordinal);
        Assert.Equal(0, (await Cli.RunAsync(["profile", "set", Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"), "--db", db, "--quiet"])).ExitCode);
        var (_, monitor, _) = await Cli.RunAsync(["monitor", "--db", db, "--json", "--quiet"]);
        var recorded = JsonDocument.Parse(monitor).RootElement.GetProperty("recorded").GetInt64();
        Assert.True(recorded > 0, "the demo sample's monitored charts raise signals");

        var (code, json, _) = await Cli.RunAsync(["signals", "--db", db, "--json", "--top", "3"]);
        var (_, text, _) = await Cli.RunAsync(["signals", "--db", db, "--top", "3"]);

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(recorded, root.GetProperty("total").GetInt64());
        var points = root.GetProperty("signals").EnumerateArray().Select(x => x.GetProperty("point").GetString()!).ToList();
        Assert.Equal(Math.Min(3, recorded), points.Count);
        Assert.Equal(points.OrderByDescending(x => x, StringComparer.Ordinal), points);
        Assert.Contains($"3 of {recorded:N0} signals (use --top N for more)", text, StringComparison.Ordinal);
    }
}
