using System.Diagnostics;
using System.IO.Compression;
using Analytics.Storage;
using Analytics.Storage.Ingestion;

namespace Analytics.Benchmarks;

/// <summary>Wall-clock ingestion measurements outside BenchmarkDotNet, for files too large to repeat many times.</summary>
internal static class Throughput
{
    public static string Measure(string file, ColumnMapping? mapping)
    {
        var keep = Environment.GetEnvironmentVariable("ANALYTICS_KEEP_DB");
        var db = keep ?? Path.Combine(Path.GetTempPath(), $"throughput-{Guid.NewGuid():N}.duckdb");
        try
        {
            using var store = EventStore.Open(db, Environment.GetEnvironmentVariable("ANALYTICS_MEMORY_LIMIT") ?? "1GB");
            var loader = new EventLogLoader(store, new IngestOptions(), TimeProvider.System);
            var watch = Stopwatch.StartNew();
            var result = loader.LoadAsync(file, mapping, null, CancellationToken.None).GetAwaiter().GetResult();
            var seconds = watch.Elapsed.TotalSeconds;
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            return $"{Path.GetFileName(file)}: {result.Status} {result.Reason} {result.Events:N0} events in {seconds:F2} s = {result.Events / seconds:N0} events/s; peak working set {self.PeakWorkingSet64 / (1 << 20):N0} MiB";
        }
        finally
        {
            if (keep is null)
                foreach (var f in Directory.GetFiles(Path.GetDirectoryName(db)!, Path.GetFileName(db) + "*"))
                    File.Delete(f);
        }
    }

    /// <summary>
    /// Times mining on an existing store as the worker does it: the first call reads the columns, the next ones find
    /// them warm (DFG with performance, then in business hours, then variants, three times each, the median
    /// printed); then the SQL path once, and checks that the two agree edge for edge.
    /// </summary>
    public static void Mine(string database)
    {
        using var store = EventStore.Open(database, Environment.GetEnvironmentVariable("ANALYTICS_MEMORY_LIMIT") ?? "1GB");
        var events = store.Statistics().Events;
        var miner = new Analytics.Storage.Mining.ProcessMiner(store);
        var all = Analytics.Core.Mining.MiningFilter.All;
        var calendar = Analytics.Core.Calendars.BuiltInCalendars.UtcWeekdays9To17;
        double Time(Action work)
        {
            var watch = Stopwatch.StartNew();
            work();
            return watch.Elapsed.TotalSeconds;
        }
        double Median(Action work) => Enumerable.Range(0, 3).Select(_ => Time(work)).Order().ElementAt(1);
        var first = Time(() => miner.DirectlyFollows(all, null));
        Console.WriteLine($"{events:N0} events: first DFG with performance (columns read from the store): {first:F2} s");
        IReadOnlyList<Analytics.Core.Mining.DfgEdge> wall = [], business = [];
        Console.WriteLine($"  warm DFG with performance: {Median(() => wall = miner.DirectlyFollows(all, null)):F3} s ({wall.Count} edges)");
        Console.WriteLine($"  warm DFG in business hours: {Median(() => business = miner.DirectlyFollows(all, calendar)):F3} s");
        IReadOnlyList<Analytics.Core.Mining.Variant> variants = [];
        Console.WriteLine($"  warm variants: {Median(() => variants = miner.Variants(all)):F3} s ({variants.Count} variants)");
        var sqlMiner = new Analytics.Storage.Mining.ProcessMiner(store) { InMemoryDfgLimit = -1 };
        IReadOnlyList<Analytics.Core.Mining.DfgEdge> sqlWall = [], sqlBusiness = [];
        Console.WriteLine($"  SQL path: DFG {Time(() => sqlWall = sqlMiner.DirectlyFollows(all, null)):F2} s, in business hours {Time(() => sqlBusiness = sqlMiner.DirectlyFollows(all, calendar)):F2} s");
        Console.WriteLine($"  columns equal SQL: wall clock {Same(sqlWall, wall)}, business hours {Same(sqlBusiness, business)}");
    }

    private static string Same(IReadOnlyList<Analytics.Core.Mining.DfgEdge> sql, IReadOnlyList<Analytics.Core.Mining.DfgEdge> memory)
    {
        if (sql.Count != memory.Count)
            return $"no: {sql.Count} against {memory.Count} edges";
        static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(a));
        static bool Alike(Analytics.Core.Mining.DurationSummary? a, Analytics.Core.Mining.DurationSummary? b) =>
            a is null ? b is null : b is not null && a.Count == b.Count && Near(a.MeanSeconds, b.MeanSeconds) && Near(a.MedianSeconds, b.MedianSeconds)
                && Near(a.P90Seconds, b.P90Seconds) && Near(a.P95Seconds, b.P95Seconds) && Near(a.MinSeconds, b.MinSeconds) && Near(a.MaxSeconds, b.MaxSeconds)
                && Near(a.StdevSeconds ?? 0, b.StdevSeconds ?? 0);
        for (var i = 0; i < sql.Count; i++)
        {
            var (a, b) = (sql[i], memory[i]);
            if ((a.From, a.To, a.Count, a.Cases) != (b.From, b.To, b.Count, b.Cases) || !Alike(a.WallClock, b.WallClock) || !Alike(a.Business, b.Business))
                return $"no: edge {i} {a.From} → {a.To}";
        }
        return $"yes, {sql.Count} edges";
    }

    /// <summary>The events of a store as a CSV of case_id, activity, timestamp (ISO 8601, UTC), in case and time order: another tool's copy of the same log.</summary>
    public static void ExportCsv(string database, string output)
    {
        using var store = EventStore.Open(database);
        store.Execute($"COPY (SELECT case_id, activity, strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS timestamp FROM events ORDER BY case_no, ts, file_id, seq) TO '{output.Replace("'", "''", StringComparison.Ordinal)}' (HEADER)");
        var rows = Convert.ToInt64(store.Scalar("SELECT count(*) FROM events"), System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine($"{output}: {rows:N0} events");
    }

    public static void Score(string database, string configPath)
    {
        using var store = EventStore.Open(database);
        Analytics.Core.Routing.RoutingConfig config;
        using (var stream = File.OpenRead(configPath))
            config = Analytics.Core.Routing.RoutingConfig.Parse(stream, configPath);
        var cases = Analytics.Storage.Routing.RoutingDataset.Read(store, config);
        var watch = Stopwatch.StartNew();
        var (model, _) = Analytics.Ml.ReviewModelTrainer.Train(cases, config);
        Console.WriteLine($"training (LightGBM and baseline, {cases.Count:N0} decisions): {watch.Elapsed.TotalSeconds:F2} s");
        var rows = Analytics.Core.Routing.FeatureBuilder.Build(cases, config);
        var batch = Enumerable.Range(0, (int)Math.Ceiling(100_000.0 / rows.Count)).SelectMany(_ => rows).Take(100_000).ToList();
        model.Probabilities(batch.Take(1000).ToList());
        watch.Restart();
        var p = model.Probabilities(batch);
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"batch scoring: {p.Length:N0} orders in {seconds:F2} s = {p.Length / seconds:N0} orders/s");
        watch.Restart();
        var reasons = 0;
        foreach (var row in rows.Take(200))
            reasons += model.Reasons(row, config).Count;
        Console.WriteLine($"one order with explanations: {watch.Elapsed.TotalMilliseconds / 200:F2} ms each");
    }

    public static void Phases(string file)
    {
        var watch = Stopwatch.StartNew();
        using (var s = Open(file))
            s.CopyTo(Stream.Null, 1 << 20);
        Console.WriteLine($"decompress only: {watch.Elapsed.TotalSeconds:F3} s");
        watch.Restart();
        var sink = new CountingSink();
        using (var s = Open(file))
            new XesReader(TimeZoneInfo.Utc).Read(s, sink, null, CancellationToken.None);
        Console.WriteLine($"decompress + scan XES: {watch.Elapsed.TotalSeconds:F3} s ({sink.Events:N0} events)");
        Console.WriteLine(Measure(file, null));
    }

    public static string Synthetic(long events, string output)
    {
        using var store = EventStore.Open(":memory:");
        var format = output.EndsWith(".parquet", StringComparison.Ordinal) ? "(FORMAT parquet)" : "(FORMAT csv, HEADER true)";
        // Events 3 s apart from 2024-01-01 up to 10 M events (347 days); closer for more, so that every instant stays
        // in the past (100 M events 3 s apart would reach 2033, and the loader refuses timestamps after today).
        var stepMicros = Math.Max(1, 3_000_000L * Math.Min(10_000_000L, events) / Math.Max(1, events));
        store.Execute($"""
            COPY (
              SELECT 'SP-' || (i // 10) AS case_id,
                     ['Filing submitted','Regional manager approved','Price desk approved','PM approved','Finance approved',
                      'Order placed','Price desk rejected','Filing resubmitted','PM price changed','Filing withdrawn'][(i % 10) + 1] AS activity,
                     (TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds(i * {stepMicros})) AS timestamp,
                     'user-' || (hash(i) % 400) AS resource,
                     ['SALES_REP','REGIONAL_MANAGER','PRICE_DESK','PRODUCT_MANAGER','FINANCE'][(i % 5) + 1] AS role,
                     'complete' AS lifecycle
              FROM range({events}) t(i)
            ) TO '{output.Replace("'", "''", StringComparison.Ordinal)}' {format}
            """);
        return $"{output}: {events:N0} events, {new FileInfo(output).Length / (1 << 20):N0} MiB";
    }

    private static Stream Open(string file) =>
        file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(File.OpenRead(file), CompressionMode.Decompress) : File.OpenRead(file);

}
