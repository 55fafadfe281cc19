using Analytics.Application.Models;
using Analytics.Application.Profiles;
using Analytics.Core.Mining;
using Analytics.Core.Routing;
using Analytics.Storage;
using Analytics.Storage.Notifications;
using Analytics.Storage.Routing;

namespace Analytics.Application.Routing;

/// <summary>
/// Routing an order, one path whoever asks (HTTP API, <c>analytics route</c>, the demo, the worker after an ingest):
/// validate → features as of the decision → score → policy → suggestion recorded → message in the outbox, all in one
/// transaction and idempotent per case and model version (asking again returns the recorded suggestion). An order
/// outside the population (e.g. without a controlled product) is recorded as routed past the review, as today, and
/// not announced.
/// </summary>
/// <remarks>
/// The history the features need is swept once over the store (at <see cref="RefreshAsync"/>: start, after each ingest,
/// after training) and kept, so a live order costs one scoring. Thread-safe: a refresh swaps in a new immutable snapshot.
/// </remarks>
public sealed class RoutingService(IStoreAccess store, TimeProvider time) : IDisposable
{
    private volatile Snapshot? _snapshot;

    /// <summary>The model version that routes now, or null without an active model (as of the last refresh).</summary>
    public int? ModelVersion => _snapshot?.Model.Version;

    /// <summary>Reloads the active model and the feature state.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken) => store.RunAsync(s =>
    {
        Refresh(s);
        return 0;
    }, cancellationToken);

    /// <summary>Reloads with the store held by the caller.</summary>
    internal void Refresh(EventStore s)
    {
        var active = ActiveModel.Load(s);
        var old = _snapshot;
        if (active is null)
            _snapshot = null;
        else
        {
            var cases = RoutingDataset.Read(s, active.Config);
            var population = cases.Where(c => c.InPopulation).ToList();
            var at = time.GetUtcNow().UtcDateTime;
            _snapshot = new Snapshot(active, cases, population, at, StateAt(active.Config, population, at));
        }
        old?.Model.Dispose();
    }

    /// <summary>Routes one order: the suggestion, recorded and announced once.</summary>
    /// <param name="order">The order at its decision.</param>
    /// <param name="cancellationToken">Cancels before anything is recorded.</param>
    public Task<Result<RoutingSuggestion>> RouteAsync(DecisionCase order, CancellationToken cancellationToken) => UseCase.RunAsync(() => store.RunAsync(s =>
    {
        ArgumentNullException.ThrowIfNull(order);
        if (_snapshot is null)
            Refresh(s);
        var snapshot = _snapshot ?? throw RequestException.NotFound("no active model: train one with 'analytics train'");
        Validate(order, snapshot.Model.Config);
        var existing = new SuggestionStore(s).Find(order.CaseId, snapshot.Model.Version, snapshot.Model.Threshold);
        if (existing is not null)
            return existing;
        // Features as of the order's decision: the history of cases closed before it, the cases still open then.
        // Live orders use the state swept at the last refresh; an order dated earlier gets its own sweep.
        var state = order.DecisionUtc >= snapshot.At ? snapshot.State : StateAt(snapshot.Model.Config, snapshot.Population, order.DecisionUtc);
        var suggestion = Decide(snapshot, order, state.RowFor(order));
        cancellationToken.ThrowIfCancellationRequested();
        Record(s, [(suggestion, order.DecisionUtc)]);
        return suggestion;
    }, cancellationToken));

    /// <summary>
    /// Routes the orders whose decision event came in a newly loaded file (features as of each one's decision), with
    /// the store held by the caller; the snapshot is refreshed first so that it holds the file's cases.
    /// </summary>
    /// <returns>The number of new suggestions.</returns>
    internal int RouteFile(EventStore s, int fileId)
    {
        Refresh(s);
        var snapshot = _snapshot;
        if (snapshot is null)
            return 0;
        var config = snapshot.Model.Config;
        var decided = RoutingDataset.DecidedInFile(s, config, fileId);
        if (decided.Count == 0)
            return 0;
        var done = new SuggestionStore(s).Suggested(snapshot.Model.Version);
        var byId = snapshot.Population.ToDictionary(c => c.CaseId, StringComparer.Ordinal);
        var suggestions = FeatureBuilder.Build(snapshot.Population, config)
            .Where(r => decided.Contains(r.CaseId) && !done.Contains(r.CaseId))
            .Select(r => (Decide(snapshot, byId[r.CaseId], r), r.DecisionUtc)).ToList();
        // Orders outside the population are routed too: past the review, as today, with the reason.
        var population = byId.Keys.ToHashSet(StringComparer.Ordinal);
        var outside = snapshot.Cases.Where(c => decided.Contains(c.CaseId) && !population.Contains(c.CaseId) && !done.Contains(c.CaseId))
            .Select(c => (RoutingSuggestion.Decide(c.CaseId, c.Attributes, config, double.NaN, snapshot.Model.Threshold, [], snapshot.Model.Version), c.DecisionUtc));
        var all = suggestions.Concat(outside).ToList();
        if (all.Count > 0)
            Record(s, all);
        return all.Count;
    }

    /// <summary>The policy's answer for an order with its features.</summary>
    private static RoutingSuggestion Decide(Snapshot snapshot, DecisionCase order, FeatureRow row)
    {
        var m = snapshot.Model;
        return RoutingSuggestion.Decide(order.CaseId, order.Attributes, m.Config, m.Model.Probability(row), m.Threshold, m.Model.Reasons(row), m.Version);
    }

    /// <summary>An order missing what the policy needs is refused, never routed past the review for lack of it.</summary>
    private static void Validate(DecisionCase order, RoutingConfig config)
    {
        var needed = config.PopulationConditions.Select(c => c.Key)
            .Concat(config.ForceReview.Select(f => AttributeCondition.Parse(f).Key)).Distinct(StringComparer.Ordinal);
        var missing = needed.Where(k => order.Attributes.GetValueOrDefault(k) is null).ToList();
        if (missing.Count > 0)
            throw RequestException.Invalid($"the order has no value for {string.Join(", ", missing.Select(m => $"'{m}'"))}, which the routing policy needs (population or forced-review rule); send it in attributes");
    }

    /// <summary>Records suggestions and queues their messages, in one transaction.</summary>
    private void Record(EventStore s, IReadOnlyList<(RoutingSuggestion Suggestion, DateTime DecisionUtc)> suggestions)
    {
        var profile = ProfileService.Current(s).Profile;
        var notify = profile.Notify.RoutingSuggestions;
        var store = new SuggestionStore(s);
        var outbox = new Outbox(s);
        var now = time.GetUtcNow();
        using var tx = s.BeginTransaction();
        foreach (var (suggestion, decided) in suggestions)
        {
            store.Add(suggestion, decided, now);
            // An order outside the population goes on as today: nobody needs telling.
            if (notify && suggestion.Why != "population")
                outbox.Enqueue("routing-suggestion", $"routing:{suggestion.CaseId}:v{suggestion.ModelVersion}", SuggestionMessage.Json(suggestion, profile), now);
        }
        tx.Commit();
    }

    private static FeatureBuilder.FeatureState StateAt(RoutingConfig config, IReadOnlyList<DecisionCase> population, DateTime utc)
    {
        var state = new FeatureBuilder.FeatureState(config, population);
        state.AdvanceTo(utc);
        foreach (var c in population.Where(c => c.DecisionUtc < utc && c.EndUtc > utc))
            state.Open(c);
        return state;
    }

    /// <inheritdoc />
    public void Dispose() => _snapshot?.Model.Dispose();

    /// <summary>Everything a suggestion needs; <see cref="State"/> is only read after construction.</summary>
    private sealed record Snapshot(ActiveModel Model, IReadOnlyList<DecisionCase> Cases, IReadOnlyList<DecisionCase> Population, DateTime At, FeatureBuilder.FeatureState State);
}
