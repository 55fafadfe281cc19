using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Hosting;

/// <summary>The routing API on real HTTP over loopback, served by <c>analytics serve</c> with a model trained by <c>analytics train</c>.</summary>
public sealed class RoutingApiTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SuggestionsNeedTheKeyAndComeWithReasons()
    {
        var db = _temp.File("api.duckdb");
        var log = _temp.File("orders.csv");
        await AnalyticsProcess.RunJsonAsync("generate", "--orders", "4000", "--seed", "8", "--out", log);
        await AnalyticsProcess.RunJsonAsync("ingest", log, "--db", db);
        await AnalyticsProcess.RunJsonAsync("profile", "set", Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"), "--db", db);
        // Without --config, train learns the profile's routing decision.
        var trained = await AnalyticsProcess.RunJsonAsync("train", "--db", db);
        Assert.Equal(1, trained.GetProperty("modelVersion").GetInt32());

        var url = $"http://127.0.0.1:{AnalyticsProcess.FreePort()}";
        using var server = AnalyticsProcess.Start(["serve", "--db", db, "--inbox", _temp.File("inbox"), "--urls", url],
            new Dictionary<string, string> { ["Analytics__ApiKey"] = "test-key" });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            await WaitForHealthAsync(http);
            var order = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.DataSamples, "routing", "example-order.json"))).RootElement;

            var anonymous = await http.PostAsJsonAsync("/api/routing/suggestions", order);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/reports/2025-W10")).StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

            http.DefaultRequestHeaders.Add("X-Api-Key", "test-key");
            var response = await http.PostAsJsonAsync("/api/routing/suggestions", order);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var suggestion = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("SP-NEW-0001", suggestion.GetProperty("caseId").GetString());
            Assert.Contains(suggestion.GetProperty("route").GetString(), new[] { "pm-review", "auto" });
            Assert.InRange(suggestion.GetProperty("probability").GetDouble(), 0, 1);
            Assert.Equal(1, suggestion.GetProperty("modelVersion").GetInt32());
            Assert.Equal(JsonValueKind.Array, suggestion.GetProperty("reasons").ValueKind);

            var bad = await http.PostAsync("/api/routing/suggestions", new StringContent("{\"caseId\": \"x\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("attributes", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var stats = JsonDocument.Parse(await http.GetStringAsync("/api/stats")).RootElement;
            Assert.Equal(4000, stats.GetProperty("cases").GetInt64());

            // The weekly report over the same API key.
            var report = JsonDocument.Parse(await http.GetStringAsync("/reports/2025-W10?format=json")).RootElement.GetProperty("report");
            Assert.Equal("2025-W10", report.GetProperty("week").GetString());
            // With an active model the report has its routing-health section, over the four weeks to 2025-W10.
            var routing = report.GetProperty("routing");
            Assert.Equal(1, routing.GetProperty("modelVersion").GetInt32());
            Assert.True(routing.GetProperty("orders").GetInt32() > 0);
            Assert.NotEmpty(routing.GetProperty("featureStability").EnumerateArray());
            var page = await http.GetAsync("/reports/2025-W10");
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/reports/2025-10")).StatusCode);
        }
        finally
        {
            await InboxWatcherTests.StopAsync(server);
        }
    }

    internal static async Task WaitForHealthAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/api/health")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the API did not come up within 60 s");
            await Task.Delay(200);
        }
    }
}
