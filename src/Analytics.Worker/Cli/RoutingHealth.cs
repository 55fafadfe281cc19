using System.Text.Json;
using Analytics.Core.Routing;
using Analytics.Storage;
using Analytics.Storage.Routing;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics models health [--days D]</c>: how the active model fares on the latest D days (28): population
/// stability of each feature against the training period, the live review ratio of the worker's suggestions, and the
/// miss rate measured on the audit share (orders that would have skipped the PM but were sent to one at random).
/// </summary>
internal static class RoutingHealth
{
    public static object Compute(EventStore store, int days)
    {
        var record = new ModelRegistry(store).Active() ?? throw new UsageException("models health: no active model");
        var config = JsonSerializer.Deserialize<RoutingConfig>(record.Config, JsonOutput.Options)!;
        using var metrics = JsonDocument.Parse(record.Metrics);
        var testFrom = metrics.RootElement.GetProperty("testFromUtc").GetDateTime().ToUniversalTime();
        var trainTo = testFrom.AddMonths(-config.CalibrationMonths);
        var cases = RoutingDataset.Read(store, config);
        var rows = FeatureBuilder.Build(cases, config);
        if (rows.Count == 0)
            throw new UsageException("models health: no decisions in the store");
        var recentFrom = rows.Max(r => r.DecisionUtc).AddDays(-days);
        var train = rows.Where(r => r.DecisionUtc < trainTo).ToList();
        var recent = rows.Where(r => r.DecisionUtc >= recentFrom).ToList();
        var psi = train.SelectMany(r => r.Numeric.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(f => new { feature = f, psi = PopulationStability.Numeric(train.Select(r => r.Numeric.GetValueOrDefault(f)).ToList(), recent.Select(r => r.Numeric.GetValueOrDefault(f)).ToList()) })
            .Concat(train.SelectMany(r => r.Categorical.Keys).Distinct().Order(StringComparer.Ordinal)
                .Select(f => new { feature = f, psi = PopulationStability.Categorical(train.Select(r => r.Categorical.GetValueOrDefault(f) ?? "").ToList(), recent.Select(r => r.Categorical.GetValueOrDefault(f) ?? "").ToList()) }))
            .OrderByDescending(x => double.IsNaN(x.psi) ? -1 : x.psi).ToList();

        // Suggestions the worker made in the window, with the outcome the log shows since.
        var labels = cases.ToDictionary(c => c.CaseId, c => c.Label, StringComparer.Ordinal);
        var suggestions = new SuggestionStore(store).Since(record.Version, recentFrom);
        var allOrders = cases.Count(c => c.DecisionUtc >= recentFrom);
        var audited = suggestions.Where(s => s.Why == "audit").ToList();
        var auditedMisses = audited.Count(s => labels.GetValueOrDefault(s.CaseId));
        return new
        {
            modelVersion = record.Version,
            window = new { from = recentFrom, days, orders = allOrders, decisions = recent.Count },
            liveReviewRatio = allOrders == 0 ? (double?)null : suggestions.Count(s => s.Route == "pm-review") / (double)allOrders,
            suggestions = suggestions.Count,
            audit = new
            {
                orders = audited.Count,
                needingReview = auditedMisses,
                missRate = audited.Count == 0 ? (double?)null : auditedMisses / (double)audited.Count,
                missRateUpperBound = MissRateGuarantee.UpperBound(auditedMisses, audited.Count, config.Delta),
            },
            featureStability = psi,
        };
    }
}
