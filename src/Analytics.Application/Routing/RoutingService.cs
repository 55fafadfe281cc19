using System.Collections.Concurrent;
using System.Threading.Channels;
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
/// validate → features as of the decision → score → policy → suggestion recorded → message in the outbox, recorded and
/// queued in one transaction and idempotent per case and model version (asking again returns the recorded suggestion).
/// An order outside the population (e.g. without a controlled product) is recorded as routed past the review, as
/// today, and not announced.
/// </summary>
/// <remarks>
/// The history the features need is swept once over the store (at <see cref="RefreshAsync"/>: start, after each ingest,
/// after training) and kept, so a live order costs one scoring. Suggestions are written by one writer that commits
/// everything queued meanwhile in one transaction (a DuckDB write transaction costs about 5 ms on the project's VM,
/// whatever it holds). The API answers once the suggestion is queued and the commit follows within milliseconds; a
/// kill in between loses that suggestion's record and message (never doubles them), and the same order asked again
/// is routed again. The command line and the demo wait for the commit. Thread-safe: a refresh swaps in a new
/// immutable snapshot.
/// </remarks>
public sealed class RoutingService(IStoreAccess store, TimeProvider time, Action<Exception>? writeFailed = null) : IDisposable, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string CaseId, int Version), Task<RoutingSuggestion>> _inflight = new();
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _writerGate = new();
    private Task? _writer;
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
            // The suggestions recorded by this version answer repeated orders without a query; kept across refreshes.
            var recorded = old is not null && old.Model.Version == active.Version
                ? old.Recorded
                : new ConcurrentDictionary<string, RoutingSuggestion>(new SuggestionStore(s).All(active.Version, active.Threshold), StringComparer.Ordinal);
            _snapshot = new Snapshot(active, cases, population, at, StateAt(active.Config, population, at), recorded);
        }
        old?.Model.Dispose();
    }

    /// <summary>Routes one order: the suggestion, recorded and announced once.</summary>
    /// <param name="order">The order at its decision.</param>
    /// <param name="cancellationToken">Stops waiting; a suggestion already on its way to the store is still recorded.</param>
    /// <param name="waitForCommit">Answer only once the suggestion is committed (the command line, which ends right after).</param>
    public async Task<Result<RoutingSuggestion>> RouteAsync(DecisionCase order, CancellationToken cancellationToken, bool waitForCommit = false)
    {
        ArgumentNullException.ThrowIfNull(order);
        var snapshot = _snapshot ?? await store.RunAsync(s =>
        {
            Refresh(s);
            return _snapshot;
        }, cancellationToken);
        if (snapshot is null)
            return Result.Fail<RoutingSuggestion>(ProblemKind.NotFound, "no active model: train one with 'analytics train'");
        var config = snapshot.Model.Config;
        if (OrderValidation.MissingForPolicy(order.Attributes, config) is { } problem)
        {
            if (config.IncompleteOrders == IncompleteOrders.Refuse)
                return Result.Fail<RoutingSuggestion>(ProblemKind.Invalid, $"the order has {problem}; send it in attributes");
        }
        else if (config.PopulationConditions.All(c => RoutingSuggestion.Holds(c, order.Attributes)))
        {
            var (attributes, problems) = OrderValidation.ForModel(order.Attributes, config, snapshot.Model.Model.Space);
            if (problems.Count > 0 && config.IncompleteOrders == IncompleteOrders.Refuse)
                return Result.Fail<RoutingSuggestion>(ProblemKind.Invalid,
                    $"the order cannot be scored: {string.Join("; ", problems)}. Send the model's attributes ({string.Join(", ", config.CaseAttributes)}), or set incompleteOrders to \"review\" in the routing configuration to send such orders to review");
            order = order with { Attributes = attributes };
        }
        if (snapshot.Recorded.TryGetValue(order.CaseId, out var recorded))
            return Result.Ok(recorded);
        var key = (order.CaseId, snapshot.Model.Version);
        var routing = _inflight.GetOrAdd(key, _ => RouteNewAsync(snapshot, order, waitForCommit));
        try
        {
            return Result.Ok(await routing.WaitAsync(cancellationToken));
        }
        finally
        {
            if (routing.IsCompleted)
                _inflight.TryRemove(KeyValuePair.Create(key, routing));
        }
    }

    /// <summary>Scores a new order and queues its suggestion for the writer (waiting for the commit when asked).</summary>
    private async Task<RoutingSuggestion> RouteNewAsync(Snapshot snapshot, DecisionCase order, bool waitForCommit)
    {
        // Features as of the order's decision: the history of cases closed before it, the cases still open then.
        // Live orders use the state swept at the last refresh; an order dated earlier gets its own sweep.
        var state = order.DecisionUtc >= snapshot.At ? snapshot.State : StateAt(snapshot.Model.Config, snapshot.Population, order.DecisionUtc);
        var suggestion = Decide(snapshot, order, state.RowFor(order));
        // Known as recorded from now on, so that the same order asked again is answered the same and never written twice.
        snapshot.Recorded[suggestion.CaseId] = suggestion;
        var write = new PendingWrite(suggestion, order.DecisionUtc, snapshot.Recorded, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        EnsureWriter();
        await _writes.Writer.WriteAsync(write);
        if (waitForCommit)
            await write.Committed.Task;
        return suggestion;
    }

    private void EnsureWriter()
    {
        lock (_writerGate)
            _writer ??= Task.Run(WriteLoopAsync);
    }

    /// <summary>Commits waiting suggestions together: everything queued while the previous commit ran goes in the next.</summary>
    private async Task WriteLoopAsync()
    {
        var reader = _writes.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<PendingWrite>();
            while (batch.Count < 512 && reader.TryRead(out var write))
                batch.Add(write);
            try
            {
                await store.RunAsync(s =>
                {
                    Record(s, batch.Select(b => (b.Suggestion, b.DecisionUtc)).ToList());
                    return 0;
                }, CancellationToken.None);
                foreach (var b in batch)
                    b.Committed.TrySetResult();
            }
            catch (Exception ex)
            {
                foreach (var b in batch)
                {
                    b.Recorded.TryRemove(KeyValuePair.Create(b.Suggestion.CaseId, b.Suggestion));
                    b.Committed.TrySetException(ex);
                }
                writeFailed?.Invoke(ex);
            }
        }
    }

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
        var byId = snapshot.Population.ToDictionary(c => c.CaseId, StringComparer.Ordinal);
        var suggestions = FeatureBuilder.Build(snapshot.Population, config)
            .Where(r => decided.Contains(r.CaseId) && !snapshot.Recorded.ContainsKey(r.CaseId))
            .Select(r => (Decide(snapshot, byId[r.CaseId], r), r.DecisionUtc));
        // Orders outside the population are routed too: past the review, as today, with the reason.
        // An order missing a population attribute is not "outside": Decide sends it to review as incomplete.
        var outside = snapshot.Cases.Where(c => decided.Contains(c.CaseId) && !byId.ContainsKey(c.CaseId) && !snapshot.Recorded.ContainsKey(c.CaseId))
            .Select(c => (Decide(snapshot, c, null), c.DecisionUtc));
        var all = suggestions.Concat(outside).ToList();
        if (all.Count == 0)
            return 0;
        Record(s, all);
        foreach (var (suggestion, _) in all)
            snapshot.Recorded[suggestion.CaseId] = suggestion;
        return all.Count;
    }

    /// <summary>
    /// The policy's answer for an order with its features. An order that lacks what the policy or the model needs is
    /// sent to review with the reason, never routed past it for lack of a value (the API refuses such orders first
    /// unless the configuration asks for review).
    /// </summary>
    private static RoutingSuggestion Decide(Snapshot snapshot, DecisionCase order, FeatureRow? row)
    {
        var m = snapshot.Model;
        if (OrderValidation.MissingForPolicy(order.Attributes, m.Config) is { } policyProblem)
            return Incomplete(order.CaseId, policyProblem, m);
        if (!m.Config.PopulationConditions.All(c => RoutingSuggestion.Holds(c, order.Attributes)))
            return RoutingSuggestion.Decide(order.CaseId, order.Attributes, m.Config, double.NaN, m.Threshold, [], m.Version);
        var (_, problems) = OrderValidation.ForModel(order.Attributes, m.Config, m.Model.Space);
        if (problems.Count > 0 || row is null)
            return Incomplete(order.CaseId, problems.Count > 0 ? string.Join("; ", problems) : "its attributes could not be read as the model's features", m);
        var probability = m.Model.Probability(row);
        // The reasons follow the route: what raises the probability of an order sent to a PM (forced and audited ones
        // too), what lowers it for one routed past.
        var route = RoutingSuggestion.Decide(order.CaseId, order.Attributes, m.Config, probability, m.Threshold, [], m.Version).Route;
        var reasons = m.Model.Reasons(row, m.Config, raising: route == "pm-review");
        return RoutingSuggestion.Decide(order.CaseId, order.Attributes, m.Config, probability, m.Threshold, reasons, m.Version);
    }

    private static RoutingSuggestion Incomplete(string caseId, string problem, ActiveModel m) =>
        new(caseId, "pm-review", null, m.Threshold, "incomplete", [$"incomplete order: {problem}"], m.Version);

    /// <summary>Records suggestions and queues their messages, in one transaction.</summary>
    private void Record(EventStore s, IReadOnlyList<(RoutingSuggestion Suggestion, DateTime DecisionUtc)> suggestions)
    {
        var profile = ProfileService.Current(s).Profile;
        var now = time.GetUtcNow();
        // An order outside the population goes on as today: nobody needs telling.
        var messages = profile.Notify.RoutingSuggestions
            ? suggestions.Where(x => x.Suggestion.Why != "population")
                .Select(x => ("routing-suggestion", $"routing:{x.Suggestion.CaseId}:v{x.Suggestion.ModelVersion}", SuggestionMessage.Json(x.Suggestion, profile))).ToList()
            : [];
        using var tx = s.BeginTransaction();
        new SuggestionStore(s).AddMany(suggestions, now);
        new Outbox(s).EnqueueMany(messages, now);
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

    /// <summary>Frees the model; the writer ends once the suggestions queued so far are written (prefer <see cref="DisposeAsync"/>, which waits for that).</summary>
    public void Dispose()
    {
        _writes.Writer.TryComplete();
        _snapshot?.Model.Dispose();
    }

    /// <summary>Writes the suggestions queued so far, then frees the model.</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writer is { } writer)
            await writer;
        _snapshot?.Model.Dispose();
    }

    /// <summary>Everything a suggestion needs; <see cref="State"/> is only read after construction.</summary>
    private sealed record Snapshot(ActiveModel Model, IReadOnlyList<DecisionCase> Cases, IReadOnlyList<DecisionCase> Population, DateTime At,
        FeatureBuilder.FeatureState State, ConcurrentDictionary<string, RoutingSuggestion> Recorded);

    private sealed record PendingWrite(RoutingSuggestion Suggestion, DateTime DecisionUtc, ConcurrentDictionary<string, RoutingSuggestion> Recorded, TaskCompletionSource Committed);
}
