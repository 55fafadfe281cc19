using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage;
using Analytics.Storage.Ingestion;
using Analytics.Storage.Mining;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// The directly-follows graph with performance, on the wall clock and in business hours (pm4py's Mon–Fri 09–17 UTC
/// convention, so the figures compare with pm4py's timings in ../shared/peer-reference), and variants.
/// </summary>
public class MiningBenchmarks
{
    private EventStore? _store;
    private ProcessMiner? _miner;

    [Params("DomesticDeclarations.xes.gz", "bpic2012.xes.gz")]
    public string Log { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _store = EventStore.Open(":memory:");
        new EventLogLoader(_store, new IngestOptions(), TimeProvider.System)
            .LoadAsync(Paths.RealLog(Log), null, null, CancellationToken.None).GetAwaiter().GetResult();
        _miner = new ProcessMiner(_store);
    }

    [GlobalCleanup]
    public void Cleanup() => _store?.Dispose();

    [Benchmark]
    public int PerformanceDfg() => _miner!.DirectlyFollows(MiningFilter.All, null).Count;

    [Benchmark]
    public int BusinessHoursPerformanceDfg() => _miner!.DirectlyFollows(MiningFilter.All, BuiltInCalendars.UtcWeekdays9To17).Count;

    [Benchmark]
    public int Variants() => _miner!.Variants(MiningFilter.All).Count;
}
