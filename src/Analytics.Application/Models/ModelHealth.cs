using System.Text.Json;
using Analytics.Core.Routing;
using Analytics.Reports;
using Analytics.Storage;
using Analytics.Storage.Routing;

namespace Analytics.Application.Models;

/// <summary>How the active routing model fares on the latest days: live review ratio, audited miss rate, feature drift.</summary>
internal static class ModelHealth
{
    /// <summary>Computes the health of the active model over the <paramref name="days"/> before <paramref name="toUtc"/> (default: the latest decision), or null when there is no active model.</summary>
    public static RoutingHealth? Compute(EventStore store, int days, DateTime? toUtc = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var record = new ModelRegistry(store).Active();
        if (record is null)
            return null;
        var config = RoutingConfig.FromStored(record.Config, Json.Options);
        using var metrics = JsonDocument.Parse(record.Metrics);
        var testFrom = metrics.RootElement.GetProperty("testFromUtc").GetDateTime().ToUniversalTime();
        // Trained on every month before the test period (a model of an older version left its calibration months out).
        var trainTo = testFrom.AddMonths(-(config.CalibrationMonths ?? 0));
        var cases = RoutingDataset.Read(store, config);
        var rows = FeatureBuilder.Build(cases, config);
        if (rows.Count == 0)
            return new RoutingHealth(record.Version, DateTime.MinValue, days, 0, 0, null, 0, 0, 1, []);
        var suggestionStore = new SuggestionStore(store);
        // The window ends at the latest decision the store or a suggestion (an order routed through the API) knows.
        var to = toUtc ?? new[] { rows.Max(r => r.DecisionUtc), suggestionStore.LatestDecision(record.Version) ?? DateTime.MinValue }.Max().AddTicks(1);
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
        // Every suggestion of the window counts, also for orders routed through the API that the store has no events of.
        var suggestions = suggestionStore.Between(record.Version, from, to);
        var orders = inWindow.Union(suggestions.Select(s => s.CaseId), StringComparer.Ordinal).Count();
        var audited = suggestions.Where(s => s.Why == "audit").ToList();
        var needed = audited.Count(s => labels.GetValueOrDefault(s.CaseId));
        return new RoutingHealth(record.Version, from, days, orders, suggestions.Count,
            suggestions.Count == 0 ? null : suggestions.Count(s => s.Route == "pm-review") / (double)suggestions.Count,
            audited.Count, needed, MissRateGuarantee.UpperBound(needed, audited.Count, config.Delta), drift, Policy(record.Metrics));
    }

    /// <summary>The policy as trained, from a version's stored metrics (null for one trained before curves were kept).</summary>
    internal static RoutingPolicySummary? Policy(string metrics)
    {
        var r = JsonSerializer.Deserialize<Ml.TrainingReport>(metrics, Json.Options);
        if (r is null || r.Curve.Count == 0)
            return null;
        return new RoutingPolicySummary(r.Mode == RoutingMode.Capacity, r.Certified, r.PopulationShare, r.ReviewRatio, r.TestRecall, r.MissRateUpperBound,
            r.BoundOrders, 1 - r.Delta, r.Curve.Select(p => new CurvePoint(p.ReviewRatio, p.BoundOrders == 0 ? null : p.MissRateUpperBound, p.BoundOrders,
                p.Test.ReviewRatio, p.Test.Recall, p.Test.MissRate)).ToList());
    }
}
