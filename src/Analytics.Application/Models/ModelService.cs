using System.Text.Json;
using Analytics.Application.Profiles;
using Analytics.Core.Routing;
using Analytics.Ml;
using Analytics.Reports;
using Analytics.Storage;
using Analytics.Storage.Routing;

namespace Analytics.Application.Models;

/// <summary>Train and activate the review-need model, list and activate versions, and report the active one's health.</summary>
public sealed class ModelService(IStoreAccess store, TimeProvider time)
{
    /// <summary>Trains a model on everything stored and registers it.</summary>
    /// <param name="configPath">A routing configuration file; null takes the profile's routing decision.</param>
    /// <param name="activation">Always activate, or activate only when its AUC is no more than 0.01 below the active one's (retraining).</param>
    /// <param name="cancellationToken">Cancels before the model is stored.</param>
    public Task<Result<TrainedModel>> TrainAsync(string? configPath, Activation activation, CancellationToken cancellationToken) => UseCase.RunAsync(async () =>
    {
        var fromFile = configPath is null ? null : ReadConfig(configPath);
        return await store.RunAsync(s =>
        {
            var profile = ProfileService.Current(s);
            var config = Resolve(fromFile, profile);
            var cases = RoutingDataset.Read(s, config);
            // Features that reveal the outcome are refused before anything is trained on them.
            var audit = LeakageAudit.Run(cases, config);
            if (audit.Refused.Count > 0)
                throw RequestException.Invalid("train: the leakage audit found features that reveal the outcome rather than predict it:\n"
                    + string.Join("\n", audit.Refused.Select(f => $"  {f.Key}: {f.Evidence}"))
                    + "\nLeave them out of caseAttributes and history, or, if they are truly known at the decision, keep them with a reason in "
                    + "\"acceptedFeatures\": {\"" + audit.Refused[0].Key + "\": \"why it is known at the decision\"} in the routing configuration.");
            ReviewModel model;
            TrainingReport report;
            try
            {
                (model, report) = ReviewModelTrainer.Train(cases, config);
            }
            catch (ArgumentException ex)
            {
                throw RequestException.Invalid("train: " + ex.Message);
            }
            using (model)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var active = new ModelRegistry(s).List().FirstOrDefault(m => m.Active);
                var activeAuc = active is null ? double.NegativeInfinity : JsonDocument.Parse(active.Metrics).RootElement.GetProperty("auc").GetDouble();
                var activate = activation == Activation.Always || report.Auc >= activeAuc - 0.01;
                var version = Register(s, model, report, config, activate);
                return new TrainedModel(version, activate, report, configPath ?? "the process profile", audit);
            }
        }, cancellationToken);
    });

    /// <summary>The leakage audit of a routing configuration on everything stored, without training.</summary>
    /// <param name="configPath">A routing configuration file; null takes the profile's routing decision.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public Task<Result<LeakageReport>> AuditAsync(string? configPath, CancellationToken cancellationToken) => UseCase.RunAsync(async () =>
    {
        var fromFile = configPath is null ? null : ReadConfig(configPath);
        return await store.RunAsync(s =>
        {
            var profile = ProfileService.Current(s);
            var config = Resolve(fromFile, profile);
            return LeakageAudit.Run(RoutingDataset.Read(s, config), config);
        }, cancellationToken);
    });

    /// <summary>Every version, newest first.</summary>
    public Task<Result<IReadOnlyList<ModelSummary>>> ListAsync(CancellationToken cancellationToken) =>
        UseCase.RunAsync(() => store.RunAsync(List, cancellationToken));

    /// <summary>Makes a version the active one (also a rollback).</summary>
    public Task<Result<IReadOnlyList<ModelSummary>>> ActivateAsync(int version, CancellationToken cancellationToken) => UseCase.RunAsync(() => store.RunAsync(s =>
    {
        try
        {
            new ModelRegistry(s).Activate(version);
        }
        catch (ArgumentException ex)
        {
            throw RequestException.NotFound(ex.Message + "; 'analytics models' lists them");
        }
        return List(s);
    }, cancellationToken));

    /// <summary>The active model's health over the last <paramref name="days"/> days of decisions.</summary>
    public Task<Result<RoutingHealth>> HealthAsync(int days, CancellationToken cancellationToken) => UseCase.RunAsync(() => store.RunAsync(s =>
    {
        if (days is < 1 or > 3650)
            throw RequestException.Invalid($"--days {days}: give a window of 1 to 3650 days");
        return ModelHealth.Compute(s, days) ?? throw RequestException.NotFound("no active model: train one with 'analytics train'");
    }, cancellationToken));

    private static IReadOnlyList<ModelSummary> List(EventStore s) => new ModelRegistry(s).List().Select(m =>
    {
        var report = JsonSerializer.Deserialize<TrainingReport>(m.Metrics, Json.Options)!;
        var policy = report.Curve.Count > 0 ? PolicyWords.Lines(report).Concat(PolicyWords.Curve(report)).ToList() : [];
        return new ModelSummary(m.Version, m.Active, m.CreatedAt, m.Kind, report.Auc, report.TestFromUtc, m.Threshold, report.ReviewRatio, report.MissRateUpperBound, policy);
    }).ToList();

    /// <summary>The configuration given, or the profile's routing decision, completed from the profile.</summary>
    private static RoutingConfig Resolve(RoutingConfig? fromFile, ActiveProfile profile) => WithProfile(fromFile ?? profile.Profile.Routing
        ?? throw RequestException.Invalid(profile.Accepted
            ? "the process profile has no routing decision: add one ('routing', as in data-samples/routing/*.routing.json) with 'analytics profile set', or give --config FILE"
            : "no process profile is accepted, so there is no routing decision to learn: accept one ('analytics profile suggest', 'analytics profile accept') or give --config FILE"),
        profile.Profile);

    /// <summary>What a configuration leaves open, from the profile: the review target and the review node's activities.</summary>
    internal static RoutingConfig WithProfile(RoutingConfig config, Core.Profiles.ProcessProfile profile) => config with
    {
        TargetReviewRatio = config.TargetReviewRatio ?? profile.Review?.Target,
        ReviewActivities = config.ReviewActivities.Count > 0 ? config.ReviewActivities : profile.Review?.Activities ?? [],
    };

    /// <summary>Reads a routing configuration file.</summary>
    internal static RoutingConfig ReadConfig(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return RoutingConfig.Parse(stream, path);
        }
        catch (FormatException ex)
        {
            throw RequestException.Invalid(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RequestException.Invalid($"{path}: {ex.Message}");
        }
    }

    private int Register(EventStore s, ReviewModel model, TrainingReport report, RoutingConfig config, bool activate)
    {
        using var pipeline = new MemoryStream();
        model.Save(pipeline);
        return new ModelRegistry(s).Add(new ModelRecord(0, time.GetUtcNow(), model.Kind,
            JsonSerializer.Serialize(config, Json.Options), JsonSerializer.Serialize(model.Space, Json.Options),
            model.Calibration.A, model.Calibration.B, report.Threshold, JsonSerializer.Serialize(report, Json.Options),
            pipeline.ToArray(), activate), activate);
    }
}

/// <summary>When a newly trained model becomes the active one.</summary>
public enum Activation
{
    /// <summary>Always (a person asked for it).</summary>
    Always,

    /// <summary>Only when its test AUC is no more than 0.01 below the active model's (scheduled retraining).</summary>
    IfNotWorse,
}
