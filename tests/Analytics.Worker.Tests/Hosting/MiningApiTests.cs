using System.Net;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Hosting;

/// <summary>
/// Mining over the worker's HTTP API on real loopback: the answers are those of the command line on the same store,
/// repeated calls find the columns warm, and a load in between is seen by the next call.
/// </summary>
public sealed class MiningApiTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TheApiMinesAsTheCommandLineDoes()
    {
        var db = _temp.File("mine.duckdb");
        var log = _temp.File("orders.csv");
        var more = _temp.File("more.csv");
        await AnalyticsProcess.RunJsonAsync("generate", "--orders", "1500", "--seed", "3", "--out", log);
        await AnalyticsProcess.RunJsonAsync("generate", "--orders", "300", "--seed", "4", "--id-prefix", "SQ-", "--out", more);
        await AnalyticsProcess.RunJsonAsync("ingest", log, "--db", db);
        var cliDfg = await AnalyticsProcess.RunJsonAsync("mine", "dfg", "--db", db, "--calendar", "utc-weekdays-9-17");
        var cliVariants = await AnalyticsProcess.RunJsonAsync("mine", "variants", "--db", db, "--top", "5");

        var url = $"http://127.0.0.1:{AnalyticsProcess.FreePort()}";
        var inbox = _temp.File("inbox");
        using var server = AnalyticsProcess.Start(["serve", "--db", db, "--inbox", inbox, "--urls", url],
            new Dictionary<string, string> { ["Analytics__ApiKey"] = "k", ["Analytics__InboxPollSeconds"] = "1" });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            await RoutingApiTests.WaitForHealthAsync(http);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/mine/dfg")).StatusCode);
            http.DefaultRequestHeaders.Add("X-Api-Key", "k");

            var dfg = JsonDocument.Parse(await http.GetStringAsync("/api/mine/dfg?calendar=utc-weekdays-9-17")).RootElement;
            var again = JsonDocument.Parse(await http.GetStringAsync("/api/mine/dfg?calendar=utc-weekdays-9-17")).RootElement;
            Assert.Equal(Edges(cliDfg), Edges(dfg));
            Assert.Equal(Edges(dfg), Edges(again));
            Assert.Equal("utc-weekdays-9-17", dfg.GetProperty("calendar").GetString());
            var variants = JsonDocument.Parse(await http.GetStringAsync("/api/mine/variants?top=5")).RootElement;
            Assert.Equal(cliVariants.GetProperty("total").GetInt32(), variants.GetProperty("total").GetInt32());
            Assert.Equal(JsonSerializer.Serialize(cliVariants.GetProperty("variants")), JsonSerializer.Serialize(variants.GetProperty("variants")));
            Assert.Equal(5, variants.GetProperty("variants").GetArrayLength());
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/mine/variants?top=0")).StatusCode);
            var unknown = await http.GetAsync("/api/mine/dfg?calendar=no-such-calendar");
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

            // A file dropped into the inbox: the next call counts its events too.
            var before = Edges(dfg).Sum(e => e.Count);
            File.Copy(more, Path.Combine(inbox, "more.csv"));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            long after;
            do
            {
                await Task.Delay(500);
                after = Edges(JsonDocument.Parse(await http.GetStringAsync("/api/mine/dfg?calendar=utc-weekdays-9-17")).RootElement).Sum(e => e.Count);
            }
            while (after == before && DateTime.UtcNow < deadline);
            Assert.True(after > before, "the loaded file's events were not seen by the next call");
        }
        finally
        {
            await InboxWatcherTests.StopAsync(server);
        }
    }

    private static List<(string From, string To, long Count, long Cases, double Median, double BusinessP90)> Edges(JsonElement answer) =>
        [.. answer.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString()!, e.GetProperty("to").GetString()!,
            e.GetProperty("count").GetInt64(), e.GetProperty("cases").GetInt64(), e.GetProperty("medianSeconds").GetDouble(),
            e.TryGetProperty("business", out var b) && b.ValueKind == JsonValueKind.Object ? b.GetProperty("p90Seconds").GetDouble() : double.NaN))];
}
