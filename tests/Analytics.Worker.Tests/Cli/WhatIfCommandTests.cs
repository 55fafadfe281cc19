using System.Net;
using System.Text;
using System.Text.Json;
using Analytics.Testing;
using Analytics.Worker.Tests.Hosting;
using Xunit.Abstractions;

namespace Analytics.Worker.Tests.Cli;

/// <summary><c>analytics whatif</c> and <c>POST /api/whatif</c> on real logs in a DuckDB file.</summary>
public sealed class WhatIfCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Scenario(string name) => Path.Combine(RepositoryPaths.DataSamples, "scenarios", name);

    private async Task<string> DemoSampleAsync()
    {
        var db = _temp.File("sample.duckdb");
        await AnalyticsProcess.RunJsonAsync("ingest", Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"), "--db", db);
        return db;
    }

    private async Task<string> GeneratedAsync(int orders, int seed)
    {
        var db = _temp.File($"demo-{orders}-{seed}.duckdb");
        var log = _temp.File($"orders-{orders}-{seed}.csv");
        await AnalyticsProcess.RunJsonAsync("generate", "--orders", orders.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", log);
        await AnalyticsProcess.RunJsonAsync("ingest", log, "--db", db);
        return db;
    }

    private static readonly string[] DemoOptions = ["--calendar", "cn-shanghai", "--exclude", "Bid won", "--route-by", "controlled"];

    [Fact]
    public async Task DomesticDeclarationsBackTestReproducesTheHeldOutMedian()
    {
        var db = _temp.File("dd.duckdb");
        await AnalyticsProcess.RunJsonAsync("ingest", Path.Combine(RepositoryPaths.RealLogs, "DomesticDeclarations.xes.gz"), "--db", db);

        var result = await AnalyticsProcess.RunJsonAsync("whatif", "calibrate", "--db", db, "--replications", "10");

        var v = result.GetProperty("validation");
        foreach (var field in new[] { "wassersteinHours", "ks", "p50ErrorPct", "p90ErrorPct", "throughputErrorPct" })
            Assert.True(v.TryGetProperty(field, out _), $"validation has no '{field}'");
        Assert.Equal(10_500, result.GetProperty("train").GetProperty("cases").GetInt32() + result.GetProperty("test").GetProperty("cases").GetInt32());
        var f = result.GetProperty("replayValidation");
        output.WriteLine($"back-test: W1 {v.GetProperty("wassersteinHours").GetDouble():F2} h, KS {v.GetProperty("ks").GetDouble():F3}, p50 {v.GetProperty("p50ErrorPct").GetDouble():F1}%, p90 {v.GetProperty("p90ErrorPct").GetDouble():F1}%");
        output.WriteLine($"given real arrivals: W1 {f.GetProperty("wassersteinHours").GetDouble():F2} h, KS {f.GetProperty("ks").GetDouble():F3}, p50 {f.GetProperty("p50ErrorPct").GetDouble():F1}%, p90 {f.GetProperty("p90ErrorPct").GetDouble():F1}%, throughput {f.GetProperty("throughputErrorPct").GetDouble():F1}%");
        Assert.InRange(v.GetProperty("p50ErrorPct").GetDouble(), -15, 15);
        Assert.InRange(f.GetProperty("p50ErrorPct").GetDouble(), -15, 15);
        Assert.InRange(v.GetProperty("ks").GetDouble(), 0, 0.2);
        var nodes = v.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Contains(nodes, n => n.GetProperty("node").GetString() == "Declaration FINAL_APPROVED by SUPERVISOR");
        // The log's resources are a shared account and a batch system: every role is a delay, not a queue.
        Assert.All(result.GetProperty("model").GetProperty("pools").EnumerateArray(), p => Assert.False(p.GetProperty("pooled").GetBoolean()));
    }

    [Fact]
    public async Task ScenarioRunPrintsBaselineScenarioDeltaAndValidation()
    {
        var db = await DemoSampleAsync();

        var result = await AnalyticsProcess.RunJsonAsync(["whatif", "run", "--scenario", Scenario("pm-review-15pct.json"), "--db", db, "--replications", "8", .. DemoOptions]);

        foreach (var part in new[] { "baseline", "scenario" })
        {
            var o = result.GetProperty(part);
            Assert.True(o.GetProperty("p50Hours").GetDouble() > 0);
            Assert.True(o.GetProperty("p90Hours").GetDouble() >= o.GetProperty("p50Hours").GetDouble());
            Assert.Contains(o.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("node").GetString() == "PM approved" && n.GetProperty("p90WaitHours").GetDouble() > 0);
            Assert.Equal(2, o.GetProperty("ci95").GetProperty("p90Hours").GetArrayLength());
        }
        Assert.Equal("pm-review-15pct", result.GetProperty("name").GetString());
        Assert.InRange(result.GetProperty("baseline").GetProperty("visitShare").GetProperty("PRODUCT_MANAGER").GetDouble(), 0.35, 0.5);
        Assert.InRange(result.GetProperty("scenario").GetProperty("visitShare").GetProperty("PRODUCT_MANAGER").GetDouble(), 0.12, 0.18);
        var pm = result.GetProperty("delta").GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("node").GetString() == "PRODUCT_MANAGER");
        output.WriteLine($"PM p90 wait change {pm.GetProperty("p90WaitHours").GetDouble():F2} h {pm.GetProperty("ci95").GetProperty("p90WaitHours")}");
        Assert.True(pm.GetProperty("ci95").GetProperty("p90WaitHours")[1].GetDouble() < 0, "PM waiting must fall with the whole interval below zero");
        Assert.True(result.GetProperty("validation").TryGetProperty("wassersteinHours", out _));
        Assert.InRange(result.GetProperty("scenario").GetProperty("slaAttainment").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task EveryExampleScenarioRuns()
    {
        // A demo log large enough for several approvers per role (the committed sample has one PM, who cannot leave).
        var db = await GeneratedAsync(20_000, 4);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.DataSamples, "scenarios"), "*.json").Order(StringComparer.Ordinal))
        {
            var args = new List<string> { "whatif", "run", "--scenario", file, "--db", db, "--replications", "3" };
            args.AddRange(DemoOptions);
            if (file.EndsWith("-model.json", StringComparison.Ordinal))
                continue; // needs a trained model; covered by the API test below
            var result = await AnalyticsProcess.RunJsonAsync([.. args]);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), result.GetProperty("name").GetString());
            output.WriteLine($"{Path.GetFileName(file)}: p90 {result.GetProperty("baseline").GetProperty("p90Hours").GetDouble():F1} h → {result.GetProperty("scenario").GetProperty("p90Hours").GetDouble():F1} h");
        }
    }

    [Fact]
    public async Task BadScenarioIsAUsageErrorAndTheStoreIsUntouched()
    {
        var db = await DemoSampleAsync();
        var before = await AnalyticsProcess.RunJsonAsync("stats", "--db", db);
        var bad = _temp.File("bad.json");
        await File.WriteAllTextAsync(bad, """{"name": "x", "pools": {"PRODUCT_MANAGER": 0}}""");

        var (code, _, stderr) = await AnalyticsProcess.RunAsync("whatif", "run", "--scenario", bad, "--db", db);
        var unknownRole = _temp.File("unknown.json");
        await File.WriteAllTextAsync(unknownRole, """{"name": "x", "pools": {"LEGAL": 2}}""");
        var (code2, _, stderr2) = await AnalyticsProcess.RunAsync(["whatif", "run", "--scenario", unknownRole, "--db", db, "--replications", "2", .. DemoOptions]);
        var (code3, _, stderr3) = await AnalyticsProcess.RunAsync(["whatif", "run", "--scenario", Scenario("pm-leaves.json"), "--db", db, "--replications", "2", .. DemoOptions]);

        Assert.Equal(2, code);
        Assert.Contains("pools.PRODUCT_MANAGER", stderr, StringComparison.Ordinal);
        Assert.Equal(2, code2);
        Assert.Contains("LEGAL", stderr2, StringComparison.Ordinal);
        Assert.Equal(2, code3); // the sample has one PM
        Assert.Contains("leaves no approver", stderr3, StringComparison.Ordinal);
        var after = await AnalyticsProcess.RunJsonAsync("stats", "--db", db);
        Assert.Equal(before.GetProperty("events").GetInt64(), after.GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task EmptyStoreIsAClearError()
    {
        var missing = await AnalyticsProcess.RunAsync("whatif", "calibrate", "--db", _temp.File("missing.duckdb"));
        var (code, _, stderr) = await AnalyticsProcess.RunAsync("whatif", "calibrate", "--db", _temp.File("empty.duckdb"), "--create");

        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("no such database", missing.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("missing.duckdb")), "a mistyped --db must not create a database");
        Assert.Equal(1, code);
        Assert.Contains("no cases", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiRunsAScenarioBehindTheKey()
    {
        var db = await GeneratedAsync(4000, 8);
        await AnalyticsProcess.RunJsonAsync("train", "--config", Path.Combine(RepositoryPaths.DataSamples, "routing", "special-price.routing.json"), "--db", db);

        var url = $"http://127.0.0.1:{AnalyticsProcess.FreePort()}";
        using var server = AnalyticsProcess.Start(["serve", "--db", db, "--inbox", _temp.File("inbox"), "--urls", url],
            new Dictionary<string, string> { ["Analytics__ApiKey"] = "test-key" });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
            await RoutingApiTests.WaitForHealthAsync(http);
            var scenario = JsonDocument.Parse(await File.ReadAllTextAsync(Scenario("pm-review-15pct-model.json"), Encoding.UTF8),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }).RootElement;
            var body = JsonSerializer.Serialize(new { scenario, replications = 4, calendar = "cn-shanghai", exclude = new[] { "Bid won" }, routeBy = "controlled" });
            StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/whatif", Json(body))).StatusCode);
            http.DefaultRequestHeaders.Add("X-Api-Key", "test-key");
            var response = await http.PostAsync("/api/whatif", Json(body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var result = JsonDocument.Parse(text).RootElement;
            Assert.Equal("pm-review-15pct-model", result.GetProperty("name").GetString());
            // With the model policy, reviews hold more of the orders that needed them than a random 15% would.
            var share = result.GetProperty("scenario").GetProperty("visitShare");
            var positives = (share.TryGetProperty("PM rejected", out var r) ? r.GetDouble() : 0) + (share.TryGetProperty("PM price changed", out var c) ? c.GetDouble() : 0);
            var baseline = result.GetProperty("baseline").GetProperty("visitShare");
            var before = (baseline.GetProperty("PM rejected").GetDouble() + baseline.GetProperty("PM price changed").GetDouble()) / baseline.GetProperty("PRODUCT_MANAGER").GetDouble();
            Assert.True(positives / share.GetProperty("PRODUCT_MANAGER").GetDouble() > before, "the model's reviews are richer in needed reviews");
            Assert.True(result.TryGetProperty("delta", out _));

            var bad = await http.PostAsync("/api/whatif", Json("""{"scenario": {"name": "x", "review": {"node": "PRODUCT_MANAGER", "share": 2}}}"""));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("review.share", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var noScenario = await http.PostAsync("/api/whatif", Json("""{"replications": 3}"""));
            Assert.Equal(HttpStatusCode.BadRequest, noScenario.StatusCode);
            var badSla = await http.PostAsync("/api/whatif", Json("""{"scenario": {"name": "x"}, "slaHours": -3}"""));
            Assert.Equal(HttpStatusCode.BadRequest, badSla.StatusCode);
            Assert.Contains("slaHours", await badSla.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await InboxWatcherTests.StopAsync(server);
        }
    }
}
