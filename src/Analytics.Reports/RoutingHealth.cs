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
/// <param name="Policy">The policy as certified when the model was trained, with its operating curve; null for a model trained before curves were kept.</param>
public sealed record RoutingHealth(int ModelVersion, DateTime FromUtc, int Days, int Orders, int Suggestions, double? LiveReviewRatio,
    int AuditOrders, int AuditNeedingReview, double AuditMissRateUpperBound, IReadOnlyList<FeatureDrift> FeatureStability, RoutingPolicySummary? Policy = null);

/// <summary>The routing policy as certified at training.</summary>
/// <param name="Capacity">Whether the threshold was set by PM capacity (else by α).</param>
/// <param name="Certified">Whether its miss rate is certified.</param>
/// <param name="AsIsReviewRatio">The as-is share of orders to review.</param>
/// <param name="ReviewRatio">Its review ratio on the test months.</param>
/// <param name="Recall">Its recall on the test months.</param>
/// <param name="MissRateUpperBound">The certified miss rate.</param>
/// <param name="BoundOrders">Orders routed past that the bound rests on.</param>
/// <param name="Confidence">1 − δ.</param>
/// <param name="Curve">The operating curve by review ratio.</param>
public sealed record RoutingPolicySummary(bool Capacity, bool Certified, double AsIsReviewRatio, double ReviewRatio, double Recall, double MissRateUpperBound,
    int BoundOrders, double Confidence, IReadOnlyList<CurvePoint> Curve);

/// <summary>One point of the operating curve.</summary>
/// <param name="ReviewRatio">Share of all orders sent to review.</param>
/// <param name="MissRateUpperBound">The certified miss rate (null: no order routed past).</param>
/// <param name="BoundOrders">Orders it rests on.</param>
/// <param name="TestReviewRatio">On the test months: reviewed.</param>
/// <param name="TestRecall">On the test months: needed reviews caught.</param>
/// <param name="TestMissRate">On the test months: miss rate among the orders routed past.</param>
public sealed record CurvePoint(double ReviewRatio, double? MissRateUpperBound, int BoundOrders, double TestReviewRatio, double TestRecall, double TestMissRate);

/// <summary>A feature's population stability index (above 0.25: shifted).</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Psi">The index.</param>
public sealed record FeatureDrift(string Feature, double Psi);
