using Analytics.Application.Models;
using Analytics.Application.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Retrains the review-need model on a schedule (<c>Analytics:RetrainEveryDays</c>), on the process profile's routing
/// decision: when the active model is older than the period, a new version is trained on everything stored; it becomes
/// active when its test AUC is no more than 0.01 below the active one's, otherwise it is kept inactive for a person to look at.
/// </summary>
internal sealed class Retrainer(ModelService models, RoutingService routing, IOptions<AnalyticsSettings> options, TimeProvider time, ILogger<Retrainer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetrainEveryDays <= 0)
            return;
        var period = TimeSpan.FromDays(options.Value.RetrainEveryDays);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(period.TotalSeconds, 3600)), time);
        do
        {
            try
            {
                var list = await models.ListAsync(stoppingToken);
                var active = list.Value?.FirstOrDefault(m => m.Active);
                if (active is not null && time.GetUtcNow() - active.CreatedAt < period)
                    continue;
                var trained = await models.TrainAsync(null, Activation.IfNotWorse, stoppingToken);
                if (!trained.Succeeded)
                {
                    logger.LogError("Retraining failed; the active model stays: {Problem}", trained.Problem!.Message);
                    continue;
                }
                var t = trained.Value!;
                logger.LogInformation("Retrained the review-need model: version {Version}, AUC {Auc:F3} (active was {ActiveAuc:F3}); {Decision}",
                    t.Version, t.Report.Auc, active?.Auc ?? double.NaN, t.Activated ? "activated" : "kept inactive");
                await routing.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Retraining failed; the active model stays");
            }
        }
        while (await Ticks.NextAsync(timer, stoppingToken));
    }
}
