using System.Globalization;
using Analytics.Application;
using Analytics.Application.Ingestion;
using Analytics.Application.Models;
using Analytics.Application.Profiles;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Testing;

namespace Analytics.Reliability.Tests;

/// <summary>
/// The demo log split by order: a history (orders 1–1400) loaded into a store with the demo's profile and a trained
/// routing model, and six batches of 100 new orders each, as files a worker would receive. Built once per test run;
/// each test copies the store.
/// </summary>
internal sealed class TrainedStore
{
    private static readonly Lazy<Task<TrainedStore>> Built = new(BuildAsync);
    private static readonly TempFolder Folder = new();

    private TrainedStore(string template, string mapping, IReadOnlyList<string> batches, long batchEvents)
    {
        Template = template;
        Mapping = mapping;
        Batches = batches;
        BatchEvents = batchEvents;
    }

    /// <summary>The store file to copy (closed).</summary>
    public string Template { get; }

    /// <summary>The column mapping of the batches.</summary>
    public string Mapping { get; }

    /// <summary>The six batch files (CSV), in order.</summary>
    public IReadOnlyList<string> Batches { get; }

    /// <summary>The events the batches hold together.</summary>
    public long BatchEvents { get; }

    public static Task<TrainedStore> GetAsync() => Built.Value;

    /// <summary>A copy of the template store at a path of the caller's.</summary>
    public string CopyTo(string path)
    {
        File.Copy(Template, path, overwrite: true);
        return path;
    }

    private static async Task<TrainedStore> BuildAsync()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Folder.Dispose();
        var source = Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv");
        var lines = await File.ReadAllLinesAsync(source);
        static int Order(string line) => int.Parse(line.AsSpan(3, line.IndexOf(',', StringComparison.Ordinal) - 3), CultureInfo.InvariantCulture);
        string Write(string name, Func<int, bool> take)
        {
            var path = Folder.File(name);
            File.WriteAllLines(path, lines.Take(1).Concat(lines.Skip(1).Where(l => take(Order(l)))));
            return path;
        }
        var history = Write("history.csv", n => n <= 1400);
        var batches = Enumerable.Range(0, 6).Select(k => Write($"batch-{k + 1}.csv", n => n > 1400 + 100 * k && n <= 1500 + 100 * k)).ToList();
        var batchEvents = lines.Skip(1).LongCount(l => Order(l) > 1400);
        var mapping = Folder.File("mapping.json");
        File.Copy(Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.mapping.json"), mapping);

        var template = Folder.File("template.duckdb");
        var time = TimeProvider.System;
        using (var store = new StoreOnDemand(template, "1GB", create: true))
        {
            using var routing = new RoutingService(store, time);
            var ingest = await new IngestService(store, time, new SpcService(store, time), routing)
                .IngestAsync(new IngestRequest([history], mapping), null, CancellationToken.None);
            if (!ingest.Succeeded || ingest.Value!.Files[0].Status != Analytics.Storage.Ingestion.ImportStatus.Loaded)
                throw new InvalidOperationException("the history did not load: " + (ingest.Problem?.Message ?? ingest.Value!.Files[0].Reason));
            var profile = await new ProfileService(store, time).SetAsync(Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"), CancellationToken.None);
            if (!profile.Succeeded)
                throw new InvalidOperationException(profile.Problem!.Message);
            var trained = await new ModelService(store, time).TrainAsync(null, Activation.Always, CancellationToken.None);
            if (!trained.Succeeded)
                throw new InvalidOperationException(trained.Problem!.Message);
        }
        return new TrainedStore(template, mapping, batches, batchEvents);
    }
}
