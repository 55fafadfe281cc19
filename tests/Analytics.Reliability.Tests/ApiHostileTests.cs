using System.Net;
using System.Text;
using System.Text.Json;
using Analytics.Application;

namespace Analytics.Reliability.Tests;

/// <summary>
/// Broken and hostile requests against the running worker: each gets its 4xx as an RFC 7807 problem document that
/// says what is wrong, never a 500 or an empty body, and the worker keeps running.
/// </summary>
public sealed class ApiHostileTests(RunningWorker worker) : IClassFixture<RunningWorker>
{
    private const string Order = """{"caseId": "SP-API-1", "decisionAt": "2025-12-22T10:30:00+08:00", "attributes": {"order_amount": 1350000, "controlled": true}}""";
    private const string Scenario = """{"name": "x", "pools": {"PRODUCT_MANAGER": "+1"}}""";

    /// <summary>Method, path, Content-Type (null for none), body, the status, and words the problem's detail must hold.</summary>
    public static TheoryData<string, string, string?, string?, int, string> Requests => new()
    {
        { "GET", "/reports/0000-W01", null, null, 400, "year" },
        { "GET", "/reports/0001-W01", null, null, 400, "year" },
        { "GET", "/reports/9999-W52", null, null, 400, "year" },
        { "GET", "/reports/10000-W01", null, null, 400, "year" },
        { "GET", "/reports/2024-W60", null, null, 400, "weeks 1 to 52" },
        { "GET", "/reports/last-week", null, null, 400, "ISO week" },
        { "GET", "/reports/2025-W10?format=pdf", null, null, 400, "format" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": " + Scenario + ", \"exclude\": [1]}", 400, "exclude" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": " + Scenario + ", \"replications\": \"many\"}", 400, "replications" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": " + Scenario + ", \"replications\": -1}", 400, "replications" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": " + Scenario + ", \"slaHours\": 1e999}", 400, "slaHours" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": " + Scenario + ", \"seed\": 1.5}", 400, "seed" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": " + Scenario + ", \"horizonDays\": 1e308}", 400, "horizonDays" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": " + Scenario + ", \"where\": [\"order_amount>=NaN\"]}", 400, "finite" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": 5}", 400, "scenario" },
        { "POST", "/api/whatif", "application/json", "{\"replications\": 3}", 400, "scenario" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": {\"name\": \"x\", \"review\": {\"node\": \"PRODUCT_MANAGER\", \"share\": 2}}}", 400, "share" },
        { "POST", "/api/whatif", "application/json", "[]", 400, "" },
        { "POST", "/api/whatif", "application/json", "", 400, "JSON" },
        { "POST", "/api/whatif", "application/json", "{\"scenario\": ", 400, "JSON" },
        { "POST", "/api/whatif", "text/plain", "{}", 415, "application/json" },
        { "POST", "/api/whatif", null, "{}", 415, "Content-Type" },
        { "POST", "/api/routing/suggestions", "application/x-www-form-urlencoded", "caseId=x", 415, "application/json" },
        { "POST", "/api/routing/suggestions", "application/json", "[1, 2]", 400, "object" },
        { "POST", "/api/routing/suggestions", "application/json", "{\"orderId\": 5}", 400, "caseId" },
        { "POST", "/api/routing/suggestions", "application/json", "{\"caseId\": 5, \"attributes\": {}}", 400, "caseId" },
        { "POST", "/api/routing/suggestions", "application/json", "{\"caseId\": \"x\", \"decisionAt\": \"yesterday\", \"attributes\": {}}", 400, "decisionAt" },
        { "POST", "/api/routing/suggestions", "application/json", "{\"caseId\": \"x\", \"attributes\": {\"order_amount\": \"NaN\"}}", 400, "" },
        { "POST", "/api/routing/suggestions", "application/json", "{\"caseId\": \"x\", \"attributes\": {}}", 400, "controlled" },
        { "GET", "/api/nothing-here", null, null, 404, "" },
        { "DELETE", "/api/outbox", null, null, 405, "" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task ABrokenRequestGetsItsStatusAndAProblemDocument(string method, string path, string? contentType, string? body, int status, string detailWords)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await worker.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        if (detailWords.Length > 0)
            Assert.Contains(detailWords, problem.RootElement.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.True(worker.IsRunning);
    }

    [Fact]
    public async Task ABodyOverTheLimitIs413()
    {
        using var content = new ByteArrayContent(new byte[3 << 20]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await worker.Client.PostAsync("/api/whatif", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1024 KiB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthWithoutTheKeySaysOnlyOk()
    {
        var anonymous = await worker.Anonymous.GetStringAsync("/api/health");
        var keyed = await worker.Client.GetStringAsync("/api/health");

        Assert.Equal("{\"status\":\"ok\"}", anonymous);
        Assert.DoesNotContain(".duckdb", anonymous, StringComparison.Ordinal);
        Assert.Contains(".duckdb", keyed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await worker.Anonymous.GetAsync("/api/stats")).StatusCode);
    }

    /// <summary>A store held by a long load makes a request wait a bounded time, then answer 503 naming the load.</summary>
    [Fact]
    public async Task ARequestWhileALoadHoldsTheStoreIs503WithWhatHoldsIt()
    {
        var release = new TaskCompletionSource();
        Task<int> holding;
        using (SharedStore.Doing("loading huge.csv from the inbox"))
            holding = worker.Store.RunAsync(async _ =>
            {
                await release.Task;
                return 0;
            }, CancellationToken.None);
        try
        {
            using var response = await worker.Client.GetAsync("/api/stats");
            var text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("loading huge.csv", text, StringComparison.Ordinal);
            Assert.NotNull(response.Headers.RetryAfter);
            // Health answers at once, and says what holds the store.
            Assert.Contains("loading huge.csv", await worker.Client.GetStringAsync("/api/health"), StringComparison.Ordinal);
        }
        finally
        {
            release.SetResult();
            await holding;
        }
        Assert.Equal(HttpStatusCode.OK, (await worker.Client.GetAsync("/api/stats")).StatusCode);
    }

    /// <summary>A case id or reason carrying markdown, a link or an @mention reaches the chat as plain text.</summary>
    [Fact]
    public async Task DataInAMessageCannotCarryALinkOrAMention()
    {
        const string hostile = "[verify your account](https://evil.example/login) <@all> **urgent** http://evil.example";
        var body = JsonSerializer.Serialize(new
        {
            caseId = hostile,
            decisionAt = "2025-12-22T10:30:00+08:00",
            attributes = new Dictionary<string, object>
            {
                ["order_amount"] = 1350000, ["list_price"] = 1900000, ["floor_price"] = 1480000, ["discount_pct"] = 28.9,
                ["product_line"] = "Optical transport", ["controlled"] = true, ["customer_segment"] = "carrier", ["industry"] = "telecom",
                ["region"] = "West", ["sales_rep"] = "rep-007", ["channel"] = "partner", ["competitor_present"] = true, ["bid_status"] = "pending",
            },
        });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await worker.Client.PostAsync("/api/routing/suggestions", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        string? message = null;
        for (var i = 0; i < 200 && message is null; i++)
        {
            message = await worker.Store.RunAsync(s => s.Scalar($"SELECT payload FROM outbox WHERE idempotency_key LIKE 'routing:[verify%'")?.ToString(), CancellationToken.None);
            if (message is null)
                await Task.Delay(25);
        }
        Assert.NotNull(message);
        var markdown = JsonDocument.Parse(message).RootElement.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.DoesNotContain("](", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<@", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("**urgent**", markdown, StringComparison.Ordinal);
        Assert.Contains("verify your account", markdown, StringComparison.Ordinal);
    }
}
