namespace Analytics.Reports;

/// <summary>How the active routing model fares on the latest days.</summary>
/// <param name="ModelVersion">The active version.</param>
/// <param name="FromUtc">Start of the window.</param>
/// <param name="Days">Length of the window.</param>
/// <param name="Orders">Orders that reached the decision point in the window.</param>
/// <param name="Suggestions">Suggestions the worker made for them.</param>
/// <param name="LiveReviewRatio">Share of the suggested orders (all orders at the decision point, once the worker routes them) sent to review; null without suggestions.</param>
/// <param name="AuditOrders">Orders sent to a PM only as the random audit.</param>
/// <param name="AuditNeedingReview">Of those, the ones the PM changed or rejected.</param>
/// <param name="AuditMissRateUpperBound">Clopper–Pearson upper bound of the miss rate from the audit.</param>
/// <param name="FeatureStability">Population stability index per feature against the training period, largest first.</param>
public sealed record RoutingHealth(int ModelVersion, DateTime FromUtc, int Days, int Orders, int Suggestions, double? LiveReviewRatio,
    int AuditOrders, int AuditNeedingReview, double AuditMissRateUpperBound, IReadOnlyList<FeatureDrift> FeatureStability);

/// <summary>A feature's population stability index (above 0.25: shifted).</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Psi">The index.</param>
public sealed record FeatureDrift(string Feature, double Psi);
