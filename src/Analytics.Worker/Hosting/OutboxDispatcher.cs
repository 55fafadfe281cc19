using System.Text;
using Analytics.Application.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Delivers outbox messages to the configured webhook (<c>Analytics:WebhookUrl</c>) with an <c>Idempotency-Key</c>
/// header. A failure (error status, timeout, endpoint down) leaves the message in the outbox and retries it with
/// exponential backoff (2 s, 4 s, … at most 5 minutes), so nothing is lost while the endpoint is away. Without a URL
/// messages wait in the outbox.
/// </summary>
internal sealed class OutboxDispatcher(NotificationService notifications, IOptions<AnalyticsSettings> options, TimeProvider time, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookUrl))
        {
            logger.LogInformation("No webhook configured (Analytics__WebhookUrl): notifications wait in the outbox");
            return;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, settings.WebhookPollSeconds)), time);
        var failures = 0;
        do
        {
            try
            {
                await DeliverDueAsync(http, settings.WebhookUrl, stoppingToken);
                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The loop's boundary: log, back off, carry on.
                failures++;
                logger.LogError(ex, "Outbox delivery round failed ({Failures} in a row); retrying", failures);
                await Ticks.DelayAsync(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures))), time, stoppingToken);
            }
        }
        while (await Ticks.NextAsync(timer, stoppingToken));
    }

    private async Task DeliverDueAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        foreach (var message in await notifications.DueAsync(50, cancellationToken))
        {
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(message.Payload, Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", message.IdempotencyKey);
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                    error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = "timed out";
            }
            if (error is null)
                await notifications.DeliveredAsync(message.Id, cancellationToken);
            else
            {
                var backoff = await notifications.FailedAsync(message, error, cancellationToken);
                logger.LogWarning("Webhook delivery of {Key} failed ({Error}); retry in {Backoff}", message.IdempotencyKey, error, backoff);
                // The endpoint is likely down: stop this round rather than failing every message now.
                return;
            }
        }
    }
}
