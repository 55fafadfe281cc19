namespace Analytics.Application.Models;

/// <summary>One model version as listed.</summary>
/// <param name="Version">Its number.</param>
/// <param name="Active">Whether it routes now.</param>
/// <param name="CreatedAt">When it was trained.</param>
/// <param name="Kind">lightgbm or logistic.</param>
/// <param name="Auc">Test AUC.</param>
/// <param name="TestFrom">Start of its test period.</param>
/// <param name="Threshold">The policy's threshold.</param>
/// <param name="ReviewRatio">The policy's review ratio on the test period.</param>
/// <param name="MissRateUpperBound">The certified miss-rate bound.</param>
/// <param name="Policy">The policy in words with its operating curve (empty for a version trained before curves were kept).</param>
public sealed record ModelSummary(int Version, bool Active, DateTimeOffset CreatedAt, string Kind, double Auc, DateTime TestFrom, double Threshold,
    double ReviewRatio, double MissRateUpperBound, IReadOnlyList<string> Policy);

/// <summary>A trained and stored model.</summary>
/// <param name="Version">The version it was stored as.</param>
/// <param name="Activated">Whether it became the active one.</param>
/// <param name="Report">Its test-period figures.</param>
/// <param name="ConfigSource">Where the routing configuration came from (the profile, or a file).</param>
/// <param name="Audit">The leakage audit it passed (findings on accepted features only).</param>
public sealed record TrainedModel(int Version, bool Activated, Ml.TrainingReport Report, string ConfigSource, Core.Routing.LeakageReport Audit);
