using System.Diagnostics;
using System.IO.Compression;
using Analytics.Benchmarks;
using Analytics.Storage;
using Analytics.Storage.Ingestion;
using BenchmarkDotNet.Running;

// `throughput FILE... [--mapping M]`: wall-clock ingestion throughput and peak memory, one fresh database per file.
// `phases FILE.xes[.gz]`: time of decompression, XES scanning and full load separately.
// Anything else goes to BenchmarkDotNet (e.g. `--filter *`).
if (args.Length > 0 && args[0] == "throughput")
{
    var mapping = args.SkipWhile(a => a != "--mapping").Skip(1).FirstOrDefault() is { } m ? ColumnMapping.Load(m) : null;
    foreach (var file in args.Skip(1).TakeWhile(a => a != "--mapping"))
        Console.WriteLine(Throughput.Measure(file, mapping));
    return;
}
if (args.Length > 1 && args[0] == "phases")
{
    Throughput.Phases(args[1]);
    return;
}
if (args.Length > 1 && args[0] == "mine")
{
    // mine DB: times the DFG with performance (wall clock, then business hours) on an existing database file.
    Throughput.Mine(args[1]);
    return;
}
if (args.Length > 2 && args[0] == "csv")
{
    // csv DB OUT.csv: the store's events as case_id, activity, timestamp, for another tool to read the same log.
    Throughput.ExportCsv(args[1], args[2]);
    return;
}
if (args.Length > 2 && args[0] == "score")
{
    // score DB CONFIG: trains on the database, then times batch scoring of every decision and one-by-one suggestions.
    Throughput.Score(args[1], args[2]);
    return;
}
if (args.Length > 5 && args[0] == "load")
{
    // load URL KEY ORDER.json RPS SECONDS: a bounded, fixed-rate load on the routing API; prints latency percentiles.
    await LoadTest.RunAsync(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture));
    return;
}
if (args.Length > 2 && args[0] == "synthetic")
{
    // synthetic EVENTS OUT.(csv|parquet): an approval-shaped log, 10 events per case, written by DuckDB itself.
    Console.WriteLine(Throughput.Synthetic(long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Throughput).Assembly).Run(args);
