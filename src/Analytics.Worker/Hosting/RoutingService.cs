using System.Text.Json;
using Analytics.Core.Routing;
using Analytics.Ml;
using Analytics.Storage;
using Analytics.Storage.Routing;
using Analytics.Worker.Cli;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Serves routing suggestions from the active model. The history the features need is swept once over the store
/// (at start and after each ingest) up to now and kept, so a suggestion costs one scoring, not a query.
/// Thread-safe: a refresh swaps in a new immutable snapshot.
/// </summary>
internal sealed class RoutingService(TimeProvider time)
{
    private volatile Snapshot? _snapshot;

    public int? ModelVersion => _snapshot?.Version;

    /// <summary>Reloads the active model and the feature state; call with the store held.</summary>
    public void Refresh(EventStore store)
    {
        var active = ActiveModel.Load(store);
        if (active is null)
        {
            _snapshot = null;
            return;
        }
        var population = RoutingDataset.Read(store, active.Config).Where(c => c.InPopulation).ToList();
        var at = time.GetUtcNow().UtcDateTime;
        _snapshot = new Snapshot(active.Version, active.Threshold, active.Config, active.Model, population, at, StateAt(active.Config, population, at));
    }

    /// <summary>The suggestion for an order, or null when no model is active.</summary>
    public RoutingSuggestion? Suggest(DecisionCase order)
    {
        var s = _snapshot;
        if (s is null)
            return null;
        // Features as of the order's decision: the history of cases closed before it, the cases still open then.
        // Live orders use the state swept at the last refresh; an order dated earlier gets its own sweep.
        var state = order.DecisionUtc >= s.At ? s.State : StateAt(s.Config, s.Population, order.DecisionUtc);
        var row = state.RowFor(order);
        var probability = s.Model.Probability(row);
        return RoutingSuggestion.Decide(order.CaseId, order.Attributes, s.Config, probability, s.Threshold, s.Model.Reasons(row), s.Version);
    }

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Scores the cases whose decision event came in a newly loaded file (features as of each one's decision),
    /// records the suggestions and queues a message for each in the outbox, all in one transaction.
    /// </summary>
    /// <returns>The number of new suggestions.</returns>
    public int ScoreFile(EventStore store, int fileId)
    {
        var s = _snapshot;
        if (s is null)
            return 0;
        var decided = RoutingDataset.DecidedInFile(store, s.Config, fileId);
        if (decided.Count == 0)
            return 0;
        var suggestions = new SuggestionStore(store);
        var done = suggestions.Suggested(s.Version);
        var rows = FeatureBuilder.Build(s.Population, s.Config).Where(r => decided.Contains(r.CaseId) && !done.Contains(r.CaseId)).ToList();
        if (rows.Count == 0)
            return 0;
        var attributes = s.Population.ToDictionary(c => c.CaseId, c => c.Attributes, StringComparer.Ordinal);
        var outbox = new Storage.Notifications.Outbox(store);
        var now = time.GetUtcNow();
        using var tx = store.BeginTransaction();
        foreach (var row in rows)
        {
            var suggestion = RoutingSuggestion.Decide(row.CaseId, attributes[row.CaseId], s.Config, s.Model.Probability(row), s.Threshold, s.Model.Reasons(row), s.Version);
            suggestions.Add(suggestion, row.DecisionUtc, now);
            outbox.Enqueue("routing-suggestion", $"routing:{row.CaseId}:v{s.Version}", SuggestionMessage.Json(suggestion), now);
        }
        tx.Commit();
        return rows.Count;
    }

    private static FeatureBuilder.FeatureState StateAt(RoutingConfig config, IReadOnlyList<DecisionCase> population, DateTime utc)
    {
        var state = new FeatureBuilder.FeatureState(config, population);
        state.AdvanceTo(utc);
        foreach (var c in population.Where(c => c.DecisionUtc < utc && c.EndUtc > utc))
            state.Open(c);
        return state;
    }

    /// <summary>Everything a suggestion needs; <see cref="State"/> is only read after construction.</summary>
    private sealed record Snapshot(int Version, double Threshold, RoutingConfig Config, ReviewModel Model, IReadOnlyList<DecisionCase> Population,
        DateTime At, FeatureBuilder.FeatureState State);
}
