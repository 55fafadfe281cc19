using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Hosting;

/// <summary>
/// Orders reaching the decision point in a file dropped into the inbox are scored, and their suggestions reach a
/// local webhook once each — although the endpoint is down (503) for its first calls.
/// </summary>
public sealed class WebhookTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SuggestionsSurviveTheEndpointBeingDown()
    {
        var db = _temp.File("hook.duckdb");
        var history = _temp.File("history.csv");
        await AnalyticsProcess.RunJsonAsync("generate", "--orders", "4000", "--seed", "8", "--out", history);
        await AnalyticsProcess.RunJsonAsync("ingest", history, "--db", db);
        await AnalyticsProcess.RunJsonAsync("profile", "set", Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"), "--db", db);
        await AnalyticsProcess.RunJsonAsync("train", "--config", Path.Combine(RepositoryPaths.DataSamples, "routing", "special-price.routing.json"), "--db", db);
        // New orders in January 2026, with their own ids.
        var fresh = _temp.File("fresh.csv");
        await AnalyticsProcess.RunJsonAsync("generate", "--orders", "60", "--seed", "9", "--start", "2026-01-05", "--days", "5", "--id-prefix", "NEW-", "--out", fresh);

        var port = AnalyticsProcess.FreePort();
        using var endpoint = new HttpListener();
        endpoint.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        endpoint.Start();
        var received = new ConcurrentBag<(string Key, string Body)>();
        var refused = 0;
        var serving = Task.Run(async () =>
        {
            while (endpoint.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await endpoint.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                // Down for its first two calls, whenever they come: the dispatcher must back off and try again.
                if (Volatile.Read(ref refused) < 2)
                {
                    Interlocked.Increment(ref refused);
                    context.Response.StatusCode = 503;
                }
                else
                {
                    received.Add((context.Request.Headers["Idempotency-Key"] ?? "", body));
                    context.Response.StatusCode = 200;
                }
                context.Response.Close();
            }
        });

        var inbox = _temp.File("inbox");
        Directory.CreateDirectory(inbox);
        var url = $"http://127.0.0.1:{AnalyticsProcess.FreePort()}";
        using var server = AnalyticsProcess.Start(["serve", "--db", db, "--inbox", inbox, "--urls", url], new Dictionary<string, string>
        {
            ["Analytics__ApiKey"] = "k",
            ["Analytics__WebhookUrl"] = $"http://127.0.0.1:{port}/hook/",
            ["Analytics__WebhookPollSeconds"] = "0.2",
            ["Analytics__InboxPollSeconds"] = "0.2",
            // Retrain at start: the model trained above is older than about two seconds.
            ["Analytics__RoutingConfig"] = Path.Combine(RepositoryPaths.DataSamples, "routing", "special-price.routing.json"),
            ["Analytics__RetrainEveryDays"] = "0.00002",
        });
        try
        {
            File.Copy(fresh, Path.Combine(inbox, "fresh.csv.part"));
            File.Copy(Path.ChangeExtension(fresh, null) + ".mapping.json", Path.Combine(inbox, "fresh.mapping.json"));
            File.Move(Path.Combine(inbox, "fresh.csv.part"), Path.Combine(inbox, "fresh.csv"));

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Add("X-Api-Key", "k");
            var watch = Stopwatch.StartNew();
            JsonElement outbox;
            while (true)
            {
                try
                {
                    outbox = JsonDocument.Parse(await http.GetStringAsync("/api/outbox")).RootElement;
                    if (outbox.GetProperty("delivered").GetInt64() > 0 && outbox.GetProperty("waiting").GetInt64() == 0)
                        break;
                }
                catch (HttpRequestException)
                {
                    // The API is not up yet.
                }
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), "suggestions were not all delivered within 90 s");
                await Task.Delay(300);
            }

            Assert.True(refused > 0, "the endpoint was never tried while it was down");
            var keys = received.Select(r => r.Key).ToList();
            Assert.Equal(outbox.GetProperty("delivered").GetInt64(), keys.Count);
            Assert.Equal(keys.Count, keys.Distinct().Count());
            Assert.All(keys, k => Assert.StartsWith("routing:NEW-", k, StringComparison.Ordinal));
            Assert.All(received, r =>
            {
                var json = JsonDocument.Parse(r.Body).RootElement;
                Assert.Equal("markdown", json.GetProperty("msgtype").GetString());
                Assert.Contains("Special-price approvals: routing", json.GetProperty("markdown").GetProperty("content").GetString(), StringComparison.Ordinal);
            });
        }
        finally
        {
            await InboxWatcherTests.StopAsync(server);
            endpoint.Stop();
            await serving;
        }

        // The scheduled retraining stored a second version; the health report sees the worker's suggestions.
        var models = await AnalyticsProcess.RunJsonAsync("models", "--db", db);
        Assert.True(models.GetProperty("models").GetArrayLength() >= 2);
        var health = await AnalyticsProcess.RunJsonAsync("models", "health", "--db", db);
        Assert.NotEmpty(health.GetProperty("featureStability").EnumerateArray());
    }
}
