using Analytics.Application.Ingestion;
using Analytics.Application.Prediction;
using Analytics.Application.Profiles;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Testing;

namespace Analytics.Application.Tests.Prediction;

/// <summary>Remaining-time prediction on the demo sample: better than the median per node, 90% intervals that hold on later cases, warnings queued once.</summary>
public sealed class PredictionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<StoreOnDemand> SampleAsync(Func<string, string>? edit = null)
    {
        // The sample cut at 2025-12-20, as if read that day: the orders in flight then are open.
        var lines = await File.ReadAllLinesAsync(Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));
        var sample = _temp.File("sample.csv");
        await File.WriteAllLinesAsync(sample, lines.Take(1).Concat(lines.Skip(1).Where(l => string.CompareOrdinal(l.Split(',')[2], "2025-12-20") < 0)));
        File.Copy(Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.mapping.json"), _temp.File("sample.mapping.json"));
        var store = new StoreOnDemand(_temp.File("p.duckdb"), "1GB", create: true);
        using var routing = new RoutingService(store, TimeProvider.System);
        var loaded = await new IngestService(store, TimeProvider.System, new SpcService(store, TimeProvider.System), routing)
            .IngestAsync(new IngestRequest([sample]), null, CancellationToken.None);
        Assert.True(loaded.Succeeded, loaded.Problem?.Message);
        var profile = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"));
        var set = await new ProfileService(store, TimeProvider.System).SetAsync(_temp.Write("profile.json", edit is null ? profile : edit(profile)), CancellationToken.None);
        Assert.True(set.Succeeded, set.Problem?.Message);
        return store;
    }

    [Fact]
    public async Task RemainingTimesBeatTheMedianPerNodeAndTheirIntervalsHoldOnTheLastQuarter()
    {
        using var store = await SampleAsync();

        var result = await new PredictionService(store, TimeProvider.System).EvaluateAsync(0.5, CancellationToken.None);

        Assert.True(result.Succeeded, result.Problem?.Message);
        var m = result.Value!;
        Assert.True(m.TestPrefixes > 1000, $"{m.TestPrefixes} looks");
        Assert.True(m.MaeHours < m.BaselineMaeHours, $"model {m.MaeHours:F1} h against the median per node {m.BaselineMaeHours:F1} h");
        Assert.InRange(m.Coverage, 0.85, 0.95);
        var w = m.Warnings!;
        Assert.True(w.Breached > 0 && w.Warned > 0);
        Assert.InRange(w.WarnedAndBreached, 1, w.Warned);
    }

    [Fact]
    public async Task AnOpenCaseGetsItsIntervalAndBreachChanceAndAnEndedOneIsRefusedWithTheReason()
    {
        using var store = await SampleAsync();
        var service = new PredictionService(store, TimeProvider.System);
        var lines = (await File.ReadAllLinesAsync(_temp.File("sample.csv"))).Skip(1).Select(l => l.Split(',')).ToList();
        var last = lines.GroupBy(r => r[0]).Select(g => (Case: g.Key, Last: g.Max(r => r[2])!, Activity: g.MaxBy(r => r[2])![1])).OrderBy(x => x.Last, StringComparer.Ordinal).ToList();
        var inFlight = last.Last(x => x.Activity is not ("Order placed" or "Filing withdrawn" or "Bid won"));
        var placed = last.Last(x => x.Activity == "Order placed");

        var open = await service.PredictAsync(inFlight.Case, CancellationToken.None);
        var done = await service.PredictAsync(placed.Case, CancellationToken.None);
        var ended = await service.PredictAsync(last[0].Case, CancellationToken.None);
        var missing = await service.PredictAsync("no-such-case", CancellationToken.None);

        Assert.True(open.Succeeded, open.Problem?.Message);
        var e = open.Value!.Remaining;
        Assert.True(e.LowHours <= e.MedianHours && e.MedianHours <= e.HighHours, $"{e}");
        Assert.InRange(open.Value.BreachProbability!.Value, 0, 1);
        Assert.Equal(ProblemKind.Invalid, ended.Problem!.Kind);
        Assert.Contains("taken as ended", ended.Problem.Message, StringComparison.Ordinal);
        Assert.Equal(ProblemKind.NotFound, missing.Problem!.Kind);
        Assert.Contains("cases end there", done.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EarlyWarningsAreQueuedOncePerCase()
    {
        // The sample's open cases at its end have mostly used up a 40 h SLA already (warned before, not now): a 100 h
        // SLA and a low threshold leave some to warn.
        using var store = await SampleAsync(p => p.Replace("\"caseHours\": 40", "\"caseHours\": 100", StringComparison.Ordinal)
            .Replace("\"notify\": {", "\"notify\": {\n    \"warnAt\": 0.05,", StringComparison.Ordinal));
        var service = new PredictionService(store, TimeProvider.System);

        var first = await service.WarnAsync(CancellationToken.None);
        var again = await service.WarnAsync(CancellationToken.None);

        Assert.True(first > 0, "some of the sample's open cases may breach a 100 h SLA");
        Assert.Equal(0, again);
    }
}
