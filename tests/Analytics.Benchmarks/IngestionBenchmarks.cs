using System.IO.Compression;
using Analytics.Storage;
using Analytics.Storage.Ingestion;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// Ingestion hot paths on real logs from ../shared/real-logs: scanning XES alone, and the full load into a fresh
/// in-memory DuckDB store (XES and CSV). Run from a Release build: <c>dotnet run -c Release --project tests/Analytics.Benchmarks -- --filter *Ingestion*</c>.
/// </summary>
[MemoryDiagnoser]
public class IngestionBenchmarks
{
    private string _xes = "";
    private string _csv = "";

    [Params("DomesticDeclarations.xes.gz", "bpic2012.xes.gz")]
    public string Log { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _xes = Paths.RealLog(Log);
        // The same events as CSV, exported by the store itself, so XES and CSV loading are compared on one log.
        _csv = Path.Combine(Path.GetTempPath(), Path.GetFileNameWithoutExtension(Log) + ".bench.csv");
        using var store = EventStore.Open(":memory:");
        Load(store, _xes);
        store.Execute($"COPY (SELECT case_id, activity, strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS timestamp, resource, role, lifecycle FROM events ORDER BY file_id, seq) TO '{_csv}' (HEADER true)");
    }

    [Benchmark]
    public long ScanXes()
    {
        var sink = new CountingSink();
        using var input = new GZipStream(File.OpenRead(_xes), CompressionMode.Decompress);
        new XesReader(TimeZoneInfo.Utc).Read(input, sink, null, CancellationToken.None);
        return sink.Events;
    }

    [Benchmark]
    public long LoadXes()
    {
        using var store = EventStore.Open(":memory:");
        return Load(store, _xes);
    }

    [Benchmark]
    public long LoadCsv()
    {
        using var store = EventStore.Open(":memory:");
        return Load(store, _csv);
    }

    private static long Load(EventStore store, string path) =>
        new EventLogLoader(store, new IngestOptions(), TimeProvider.System).LoadAsync(path, null, null, CancellationToken.None).GetAwaiter().GetResult().Events;
}
