using Analytics.Application;
using Analytics.Application.Ingestion;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Core.Routing;
using Analytics.Storage.Routing;
using Analytics.Testing;

namespace Analytics.Reliability.Tests;

/// <summary>One routing path: the orders a worker routes after an ingest get the suggestion the API gives for the same order and model version.</summary>
public sealed class RoutingPathTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OrdersRoutedAfterAnIngestGetTheSuggestionsTheApiGivesAndNoneIsAutoForLackOfAValue()
    {
        var trained = await TrainedStore.GetAsync();
        // The first batch, with one controlled-product order's discount left out and another's amount above the
        // forced-review limit (order_amount >= 20,000,000).
        var lines = await File.ReadAllLinesAsync(trained.Batches[0]);
        var header = lines[0].Split(',');
        int discount = Array.IndexOf(header, "discount_pct"), controlled = Array.IndexOf(header, "controlled"), amount = Array.IndexOf(header, "order_amount");
        var controlledIds = lines.Skip(1).Select(l => l.Split(',')).Where(f => f[controlled] == "true").Select(f => f[0]).Distinct().ToList();
        var (incomplete, forced) = (controlledIds[0], controlledIds[1]);
        var batch = _temp.File("batch.csv");
        await File.WriteAllLinesAsync(batch, lines.Take(1).Concat(lines.Skip(1).Select(l =>
        {
            var f = l.Split(',');
            if (f[0] == incomplete)
                f[discount] = "";
            if (f[0] == forced)
                f[amount] = "25000000";
            return string.Join(',', f);
        })));

        var db = trained.CopyTo(_temp.File("worker.duckdb"));
        var time = TimeProvider.System;
        IReadOnlyDictionary<string, RoutingSuggestion> byWorker;
        IReadOnlyList<DecisionCase> decided;
        RoutingConfig config;
        using (var store = new StoreOnDemand(db, "1GB", create: false))
        {
            await using (var routing = new RoutingService(store, time))
            {
                // The worker's path: the inbox's load, then its follow-up (monitor, routing).
                var load = await new IngestService(store, time, new SpcService(store, time), routing)
                    .LoadInboxFileAsync(batch, Storage.Ingestion.ColumnMapping.Load(trained.Mapping), 0.05, new Storage.Ingestion.IngestLimits(), CancellationToken.None);
                Assert.Equal(Storage.Ingestion.ImportStatus.Loaded, load.Result.Status);
            }
            (byWorker, decided, config) = await store.RunAsync(s =>
            {
                var active = new ModelRegistry(s).Active()!;
                var model = Application.Models.ActiveModel.Load(s)!;
                using (model)
                {
                    var ids = RoutingDataset.DecidedInFile(s, model.Config, Convert.ToInt32(s.Scalar("SELECT max(file_id) FROM files"), System.Globalization.CultureInfo.InvariantCulture));
                    var cases = RoutingDataset.Read(s, model.Config).Where(c => ids.Contains(c.CaseId)).ToList();
                    return (new SuggestionStore(s).All(active.Version, active.Threshold), (IReadOnlyList<DecisionCase>)cases, model.Config);
                }
            }, CancellationToken.None);
            // The same orders asked through the API's path, on a store that has forgotten the worker's answers.
            await store.RunAsync(s =>
            {
                s.Execute("DELETE FROM routing_suggestions; DELETE FROM outbox");
                return 0;
            }, CancellationToken.None);
            await using var api = new RoutingService(store, time);
            foreach (var c in decided)
            {
                var order = new DecisionCase(c.CaseId, c.DecisionUtc, DateTime.MaxValue, true, false, c.Attributes);
                var answer = await api.RouteAsync(order, CancellationToken.None, waitForCommit: true);
                var worker = byWorker[c.CaseId];
                if (c.CaseId == incomplete)
                {
                    // The API refuses the order naming the field; the worker, which cannot refuse it, sends it to review.
                    Assert.False(answer.Succeeded);
                    Assert.Contains("discount_pct", answer.Problem!.Message, StringComparison.Ordinal);
                    Assert.Equal(("pm-review", "incomplete"), (worker.Route, worker.Why));
                    Assert.Contains("discount_pct", worker.Reasons[0], StringComparison.Ordinal);
                    continue;
                }
                Assert.True(answer.Succeeded, answer.Problem?.Message);
                var s = answer.Value!;
                Assert.Equal((worker.Route, worker.Why), (s.Route, s.Why));
                if (worker.Probability is { } p)
                    Assert.Equal(p, s.Probability!.Value, 9);
                else
                    Assert.Null(s.Probability);
                Assert.Equal(worker.Reasons, s.Reasons);
            }
        }

        var population = decided.Where(c => config.PopulationConditions.All(k => RoutingSuggestion.Holds(k, c.Attributes))).Select(c => c.CaseId).ToHashSet();
        Assert.True(population.Count >= 30, $"{population.Count} controlled-product orders in the batch");
        // Every order in the population was scored or sent to review; none went past the PM unscored.
        foreach (var s in byWorker.Values.Where(s => population.Contains(s.CaseId)))
            Assert.True(s.Route == "pm-review" || (s.Why == "score" && s.Probability is not null), $"{s.CaseId}: {s.Route} ({s.Why})");
        // The forced-review rule and the random audit apply on the worker's path: below the threshold an order goes to a
        // PM exactly when its audit draw (a stable hash of its id) falls within the audit share.
        Assert.Equal(("pm-review", "forced"), (byWorker[forced].Route, byWorker[forced].Why));
        foreach (var s in byWorker.Values.Where(s => population.Contains(s.CaseId) && s.CaseId != forced && s.Probability < s.Threshold))
            Assert.Equal(StableHash.Of(s.CaseId) / (double)uint.MaxValue < config.AuditShare ? ("pm-review", "audit") : ("auto", "score"), (s.Route, s.Why));
        // Orders routed past the PM carry their reasons too, in the business's words.
        var auto = byWorker.Values.Where(s => population.Contains(s.CaseId) && s.Route == "auto").ToList();
        Assert.NotEmpty(auto);
        Assert.All(auto, s => Assert.NotEmpty(s.Reasons));
        Assert.Contains(auto.SelectMany(s => s.Reasons), r => r.Contains("vs usual", StringComparison.Ordinal));
        // Orders outside the population are not scored.
        Assert.All(byWorker.Values.Where(s => !population.Contains(s.CaseId) && s.CaseId != incomplete), s => Assert.Equal("population", s.Why));
    }
}
