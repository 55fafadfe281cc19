using System.Text.Json;
using Analytics.Ml;
using Analytics.Storage.Routing;
using Analytics.Worker.Cli;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Retrains the review-need model on a schedule (<c>Analytics:RetrainEveryDays</c>, with <c>Analytics:RoutingConfig</c>):
/// when the active model is older than the period, a new version is trained on everything stored; it becomes active
/// when its test AUC is no more than 0.01 below the active one's, otherwise it is kept inactive for a person to look at.
/// </summary>
internal sealed class Retrainer(StoreGate gate, RoutingService routing, AnalyticsSettings settings, TimeProvider time, ILogger<Retrainer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.RetrainEveryDays <= 0 || string.IsNullOrEmpty(settings.RoutingConfig))
            return;
        var period = TimeSpan.FromDays(settings.RetrainEveryDays);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(period.TotalSeconds, 3600)), time);
        do
        {
            try
            {
                await gate.RunAsync(store =>
                {
                    var active = new ModelRegistry(store).List().FirstOrDefault(m => m.Active);
                    if (active is not null && time.GetUtcNow() - active.CreatedAt < period)
                        return 0;
                    var config = TrainVerb.LoadConfig(settings.RoutingConfig);
                    var (model, report) = ReviewModelTrainer.Train(RoutingDataset.Read(store, config), config);
                    var activeAuc = active is null ? double.NegativeInfinity : JsonDocument.Parse(active.Metrics).RootElement.GetProperty("auc").GetDouble();
                    var activate = report.Auc >= activeAuc - 0.01;
                    var version = TrainVerb.Register(store, model, report, config, time, activate);
                    logger.LogInformation("Retrained the review-need model: version {Version}, AUC {Auc:F3} (active was {ActiveAuc:F3}); {Decision}",
                        version, report.Auc, activeAuc, activate ? "activated" : "kept inactive");
                    routing.Refresh(store);
                    return version;
                }, stoppingToken);
            }
            catch (Exception ex) when (ex is ArgumentException or UsageException or DuckDB.NET.Data.DuckDBException)
            {
                logger.LogError(ex, "Retraining failed; the active model stays");
            }
        }
        while (await Ticks.NextAsync(timer, stoppingToken));
    }

}
