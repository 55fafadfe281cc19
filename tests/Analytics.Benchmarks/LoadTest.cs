using System.Diagnostics;
using System.Text;

namespace Analytics.Benchmarks;

/// <summary>
/// A fixed-rate load on <c>POST /api/routing/suggestions</c> (open loop: requests start on schedule whether or not
/// earlier ones finished), bounded in count and time, loopback only. Every request is a new order (its own case id),
/// so each one is scored, recorded and queued, as live orders are. Reports latency percentiles and errors.
/// </summary>
internal static class LoadTest
{
    public static async Task RunAsync(string url, string key, string orderFile, int rps, int seconds)
    {
        var uri = new Uri(url);
        if (!System.Net.IPAddress.TryParse(uri.Host, out var ip) ? uri.Host != "localhost" : !System.Net.IPAddress.IsLoopback(ip))
            throw new ArgumentException("the load test only targets loopback addresses");
        var template = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(orderFile))!.AsObject();
        var run = Guid.NewGuid().ToString("N")[..8];
        string Body(string id)
        {
            template["caseId"] = $"LOAD-{run}-{id}";
            return template.ToJsonString();
        }
        using var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        // Warm-up: JIT, model and connection pool.
        for (var i = 0; i < 50; i++)
            (await http.PostAsync("/api/routing/suggestions", new StringContent(Body($"warm-{i}"), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var total = rps * seconds;
        var latencies = new double[total];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rps);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            var index = i;
            var body = Body(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            tasks.Add(SendAsync());

            async Task SendAsync()
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync("/api/routing/suggestions", new StringContent(body, Encoding.UTF8, "application/json"));
                    if (!response.IsSuccessStatusCode)
                        Interlocked.Increment(ref errors);
                    await response.Content.ReadAsByteArrayAsync();
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
                latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }
        await Task.WhenAll(tasks);
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        Console.WriteLine($"{total:N0} requests at {rps}/s over {clock.Elapsed.TotalSeconds:F1} s: p50 {P(0.5):F2} ms, p90 {P(0.9):F2} ms, p99 {P(0.99):F2} ms, max {latencies[^1]:F2} ms, errors {errors}");
    }
}
