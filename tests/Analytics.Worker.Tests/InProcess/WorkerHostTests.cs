using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Application;
using Analytics.Application.Ingestion;
using Analytics.Application.Models;
using Analytics.Application.Profiles;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Storage;
using Analytics.Testing;
using Analytics.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Worker.Tests.InProcess;

/// <summary>The worker built in the test process (real HTTP on loopback, a fake clock): the API routes an order through the one routing path.</summary>
public sealed class WorkerHostTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ASuggestionAskedThroughTheApiIsRecordedAndQueuedOnceAndCountedByHealth()
    {
        var db = _temp.File("api.duckdb");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 12, 2, 30, 0, TimeSpan.Zero));
        using (var setup = new StoreOnDemand(db, "1GB", create: true))
        {
            using var routing = new RoutingService(setup, time);
            var ingest = await new IngestService(setup, time, new SpcService(setup, time), routing)
                .IngestAsync(new IngestRequest([Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv")]), null, CancellationToken.None);
            Assert.True(ingest.Succeeded, ingest.Problem?.Message);
            Assert.True((await new ProfileService(setup, time).SetAsync(Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"), CancellationToken.None)).Succeeded);
            var trained = await new ModelService(setup, time).TrainAsync(null, Activation.Always, CancellationToken.None);
            Assert.True(trained.Succeeded, trained.Problem?.Message);
        }

        var url = $"http://127.0.0.1:{AnalyticsProcess.FreePort()}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:ApiKey"] = "test-key",
            ["Analytics:Urls"] = url,
            ["Analytics:Inbox"] = _temp.File("inbox"),
            ["Analytics:Reports"] = _temp.File("reports"),
        }).Build();
        using var store = new SharedStore(EventStore.Open(db, create: false));
        await using var app = WorkerHost.Build(configuration, store, time);
        var running = WorkerHost.RunAsync(app, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        await Hosting.RoutingApiTests.WaitForHealthAsync(http);
        http.DefaultRequestHeaders.Add("X-Api-Key", "test-key");
        var order = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.DataSamples, "routing", "example-order.json"))).RootElement;

        var first = await http.PostAsJsonAsync("/api/routing/suggestions", order);
        var again = await http.PostAsJsonAsync("/api/routing/suggestions", order);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var suggestion = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("pm-review", suggestion.GetProperty("route").GetString());
        // The answer comes once the suggestion is queued; its commit follows within milliseconds.
        JsonElement outbox;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            outbox = JsonDocument.Parse(await http.GetStringAsync("/api/outbox")).RootElement;
            if (outbox.GetProperty("waiting").GetInt64() > 0)
                break;
            await Task.Delay(20);
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(10));
        await app.StopAsync();
        Assert.Equal(0, await running);

        var health = await new ModelService(store, time).HealthAsync(28, CancellationToken.None);
        Assert.True(health.Succeeded, health.Problem?.Message);
        Assert.Equal(1, health.Value!.Suggestions);
        Assert.Equal(1.0, health.Value.LiveReviewRatio);
        Assert.Equal(1, outbox.GetProperty("waiting").GetInt64());
        store.Dispose();

        // In the tables themselves: one suggestion and one message, however often the order was asked for.
        var version = suggestion.GetProperty("modelVersion").GetInt32();
        using var connection = new DuckDB.NET.Data.DuckDBConnection($"DataSource={db}");
        connection.Open();
        long Count(string sql)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        Assert.Equal(1, Count($"SELECT count(*) FROM routing_suggestions WHERE case_id = 'SP-NEW-0001' AND model_version = {version}"));
        Assert.Equal(1, Count($"SELECT count(*) FROM outbox WHERE idempotency_key = 'routing:SP-NEW-0001:v{version}'"));
    }
}
