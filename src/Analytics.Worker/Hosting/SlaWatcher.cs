using Analytics.Application.Prediction;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Every <c>Analytics:SlaCheckMinutes</c> (15 by default; 0 turns it off) predicts the open cases' remaining time and
/// warns, once per case, whoever holds a case whose chance of breaching the SLA reaches the profile's threshold.
/// </summary>
internal sealed class SlaWatcher(PredictionService predictions, IOptions<AnalyticsSettings> options, TimeProvider time, ILogger<SlaWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = options.Value.SlaCheckMinutes;
        if (minutes <= 0)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), time);
        // The first check one interval after the start: a worker that starts is busy with its inbox first.
        while (await Ticks.NextAsync(timer, stoppingToken))
        {
            try
            {
                var warned = await predictions.WarnAsync(stoppingToken);
                if (warned > 0)
                    logger.LogInformation("SLA early warnings queued for {Count} open cases", warned);
            }
            catch (Application.RequestException ex)
            {
                logger.LogDebug("No SLA early warnings: {Reason}", ex.Message); // e.g. too few ended cases to learn from yet
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "SLA early warnings failed; trying again at the next check");
            }
        }
    }
}
