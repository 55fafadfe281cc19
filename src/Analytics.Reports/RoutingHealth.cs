using System.Text.Json;
using Analytics.Core.Routing;
using Analytics.Storage;
using Analytics.Storage.Routing;

namespace Analytics.Reports;

/// <summary>How the active routing model fares on the latest days.</summary>
/// <param name="ModelVersion">The active version.</param>
/// <param name="FromUtc">Start of the window.</param>
/// <param name="Days">Length of the window.</param>
/// <param name="Orders">Orders that reached the decision point in the window.</param>
/// <param name="Suggestions">Suggestions the worker made for them.</param>
/// <param name="LiveReviewRatio">Share of those orders the suggestions sent to a PM.</param>
/// <param name="AuditOrders">Orders sent to a PM only as the random audit.</param>
/// <param name="AuditNeedingReview">Of those, the ones the PM changed or rejected.</param>
/// <param name="AuditMissRateUpperBound">Clopper–Pearson upper bound of the miss rate from the audit.</param>
/// <param name="FeatureStability">Population stability index per feature against the training period, largest first.</param>
public sealed record RoutingHealth(int ModelVersion, DateTime FromUtc, int Days, int Orders, int Suggestions, double? LiveReviewRatio,
    int AuditOrders, int AuditNeedingReview, double AuditMissRateUpperBound, IReadOnlyList<FeatureDrift> FeatureStability)
{
    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Computes the health of the active model over the <paramref name="days"/> before <paramref name="toUtc"/> (default: the latest decision), or null when there is no active model.</summary>
    public static RoutingHealth? Compute(EventStore store, int days, DateTime? toUtc = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var record = new ModelRegistry(store).Active();
        if (record is null)
            return null;
        var config = JsonSerializer.Deserialize<RoutingConfig>(record.Config, ReadOptions)!;
        using var metrics = JsonDocument.Parse(record.Metrics);
        var testFrom = metrics.RootElement.GetProperty("testFromUtc").GetDateTime().ToUniversalTime();
        var trainTo = testFrom.AddMonths(-config.CalibrationMonths);
        var cases = RoutingDataset.Read(store, config);
        var rows = FeatureBuilder.Build(cases, config);
        if (rows.Count == 0)
            return new RoutingHealth(record.Version, DateTime.MinValue, days, 0, 0, null, 0, 0, 1, []);
        var to = toUtc ?? rows.Max(r => r.DecisionUtc).AddTicks(1);
        var from = to.AddDays(-days);
        var train = rows.Where(r => r.DecisionUtc < trainTo).ToList();
        var recent = rows.Where(r => r.DecisionUtc >= from && r.DecisionUtc < to).ToList();
        var drift = train.SelectMany(r => r.Numeric.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(f => new FeatureDrift(f, PopulationStability.Numeric(train.Select(r => r.Numeric.GetValueOrDefault(f)).ToList(), recent.Select(r => r.Numeric.GetValueOrDefault(f)).ToList())))
            .Concat(train.SelectMany(r => r.Categorical.Keys).Distinct().Order(StringComparer.Ordinal)
                .Select(f => new FeatureDrift(f, PopulationStability.Categorical(train.Select(r => r.Categorical.GetValueOrDefault(f) ?? "").ToList(), recent.Select(r => r.Categorical.GetValueOrDefault(f) ?? "").ToList()))))
            .OrderByDescending(d => double.IsNaN(d.Psi) ? -1 : d.Psi).ToList();
        var labels = cases.ToDictionary(c => c.CaseId, c => c.Label, StringComparer.Ordinal);
        var inWindow = cases.Where(c => c.DecisionUtc >= from && c.DecisionUtc < to).Select(c => c.CaseId).ToHashSet(StringComparer.Ordinal);
        var suggestions = new SuggestionStore(store).Since(record.Version, from).Where(s => inWindow.Contains(s.CaseId)).ToList();
        var orders = inWindow.Count;
        var audited = suggestions.Where(s => s.Why == "audit").ToList();
        var needed = audited.Count(s => labels.GetValueOrDefault(s.CaseId));
        return new RoutingHealth(record.Version, from, days, orders, suggestions.Count,
            orders == 0 ? null : suggestions.Count(s => s.Route == "pm-review") / (double)orders,
            audited.Count, needed, MissRateGuarantee.UpperBound(needed, audited.Count, config.Delta), drift);
    }
}

/// <summary>A feature's population stability index (above 0.25: shifted).</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Psi">The index.</param>
public sealed record FeatureDrift(string Feature, double Psi);
