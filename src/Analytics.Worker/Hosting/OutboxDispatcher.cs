using System.Text;
using Analytics.Storage.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Delivers outbox messages to the configured webhook (<c>Analytics:WebhookUrl</c>) with an <c>Idempotency-Key</c>
/// header. A failure (error status, timeout, endpoint down) leaves the message in the outbox and retries it with
/// exponential backoff (2 s, 4 s, … at most 5 minutes), so nothing is lost while the endpoint is away. Without a URL
/// messages wait in the outbox.
/// </summary>
internal sealed class OutboxDispatcher(StoreGate gate, AnalyticsSettings settings, TimeProvider time, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(settings.WebhookUrl))
        {
            logger.LogInformation("No webhook configured (Analytics__WebhookUrl): notifications wait in the outbox");
            return;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, settings.WebhookPollSeconds)), time);
        do
        {
            try
            {
                await DeliverDueAsync(http, stoppingToken);
            }
            catch (DuckDB.NET.Data.DuckDBException ex)
            {
                logger.LogError(ex, "Outbox read failed; retrying");
            }
        }
        while (await Ticks.NextAsync(timer, stoppingToken));
    }

    private async Task DeliverDueAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var due = await gate.RunAsync(store => new Outbox(store).Due(time.GetUtcNow(), 50), cancellationToken);
        foreach (var message in due)
        {
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, settings.WebhookUrl) { Content = new StringContent(message.Payload, Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", message.IdempotencyKey);
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                    error = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = "timed out";
            }
            var now = time.GetUtcNow();
            if (error is null)
                await gate.RunAsync(store => { new Outbox(store).Delivered(message.Id, now); return 0; }, cancellationToken);
            else
            {
                var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 2 * Math.Pow(2, message.Attempts)));
                await gate.RunAsync(store => { new Outbox(store).Failed(message.Id, error, now + backoff); return 0; }, cancellationToken);
                logger.LogWarning("Webhook delivery of {Key} failed ({Error}); retry in {Backoff}", message.IdempotencyKey, error, backoff);
                // The endpoint is likely down: stop this round rather than failing every message now.
                return;
            }
        }
    }
}
