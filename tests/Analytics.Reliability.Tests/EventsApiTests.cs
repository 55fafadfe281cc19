using System.Net;
using System.Text;
using System.Text.Json;

namespace Analytics.Reliability.Tests;

/// <summary><c>POST /api/events</c> answers what it stored, skipped and refused, and refuses what is not events with the reason.</summary>
public sealed class EventsApiTests(RunningWorker worker) : IClassFixture<RunningWorker>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    // A post while the worker follows up the last one waits for the store, here at most a second (Analytics:ApiWaitSeconds),
    // then answers 503; a client sends it again, as this does.
    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpContent content)
    {
        var body = await content.ReadAsStringAsync();
        var type = content.Headers.ContentType!.MediaType!;
        for (var attempt = 0; ; attempt++)
        {
            using var response = await worker.Client.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, type));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 60)
                return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task PostedEventsAreStoredOnceAndOverlapsAreCountedAsDuplicates()
    {
        const string first = """
            [{"case_id": "API-1", "activity": "Filing submitted", "timestamp": "2026-11-30T09:00:00+08:00", "resource": "rep-001", "role": "SALES_REP"},
             {"case_id": "API-1", "activity": "Regional manager rejected", "timestamp": "2026-11-30T10:00:00+08:00", "resource": "rm-01", "role": "REGIONAL_MANAGER"}]
            """;
        var (status, body) = await PostAsync(Json(first));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("loaded", body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("stored").GetInt64());

        var (_, again) = await PostAsync(Json(first));
        Assert.Equal("skipped-duplicate", again.GetProperty("status").GetString());
        Assert.Equal(0, again.GetProperty("stored").GetInt64());
        Assert.Equal(2, again.GetProperty("duplicates").GetInt64());

        // JSON Lines with one event stored before and one new: the new one stored, the old one counted.
        var lines = new StringContent("""
            {"case_id": "API-1", "activity": "Regional manager rejected", "timestamp": "2026-11-30T10:00:00+08:00", "resource": "rm-01", "role": "REGIONAL_MANAGER"}
            {"case_id": "API-1", "activity": "Filing resubmitted", "timestamp": "2026-11-30T11:00:00+08:00", "resource": "rep-001", "role": "SALES_REP"}
            """, Encoding.UTF8, "application/x-ndjson");
        var (_, overlap) = await PostAsync(lines);
        Assert.Equal(1, overlap.GetProperty("stored").GetInt64());
        Assert.Equal(1, overlap.GetProperty("duplicates").GetInt64());
    }

    private async Task<string> StatsAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await worker.Client.GetAsync("/api/stats");
            if (response.IsSuccessStatusCode || attempt == 60)
                return await response.Content.ReadAsStringAsync();
            await Task.Delay(500);
        }
    }

    [Theory]
    [InlineData("text/plain", "hello", 415, "application/x-ndjson")]
    [InlineData("application/json", "{\"case_id\": \"x\"}", 400, "not an array of events")]
    [InlineData("application/json", "[1, 2]", 400, "element 0 is a JSON number")]
    [InlineData("application/json", "[]", 400, "the array is empty")]
    [InlineData("application/json", "[{\"case_id\": ", 400, "the body is not JSON")]
    [InlineData("application/json", "[{\"case_id\": \"x\", \"activity\": \"a\"}]", 422, "timestamp")]
    public async Task WhatIsNotEventsIsRefusedWithTheReasonAndStoresNothing(string type, string text, int expected, string reason)
    {
        var before = await StatsAsync();

        var (status, body) = await PostAsync(new StringContent(text, Encoding.UTF8, type));

        Assert.Equal(expected, (int)status);
        Assert.Contains(reason, body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(before, await StatsAsync());
    }
}
