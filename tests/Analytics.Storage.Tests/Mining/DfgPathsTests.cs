using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage.Mining;
using Analytics.Storage.Tests.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Mining;

/// <summary>The directly-follows graph of a small log, mined in memory, equals the SQL path's edge for edge.</summary>
public sealed class DfgPathsTests : IDisposable
{
    private readonly EventStore _store = EventStore.Open(":memory:");

    public DfgPathsTests() => Load.File(_store, Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));

    public void Dispose() => _store.Dispose();

    public static TheoryData<string?> Calendars => new() { null, "utc-weekdays-9-17", "cn-shanghai-finance-mornings.json" };

    [Theory]
    [MemberData(nameof(Calendars))]
    public void InMemoryEqualsSql(string? calendarName)
    {
        BusinessCalendar? calendar = calendarName switch
        {
            null => null,
            _ when BuiltInCalendars.TryGet(calendarName, out var c) => c,
            _ => BusinessCalendar.Parse(File.OpenRead(Path.Combine(RepositoryPaths.DataSamples, "calendars", calendarName)), calendarName),
        };
        var filter = new MiningFilter { CaseAttributes = [AttributeCondition.Parse("controlled=true")] };
        var memory = new ProcessMiner(_store).DirectlyFollows(filter, calendar);
        var sql = new ProcessMiner(_store) { InMemoryDfgLimit = 0 }.DirectlyFollows(filter, calendar);

        Assert.Equal(sql.Count, memory.Count);
        Assert.True(sql.Count > 10);
        foreach (var (a, b) in sql.Zip(memory))
        {
            Assert.Equal((a.From, a.To, a.Count, a.Cases), (b.From, b.To, b.Count, b.Cases));
            Same(a.WallClock, b.WallClock);
            Assert.Equal(a.Business is null, b.Business is null);
            if (a.Business is not null)
                Same(a.Business, b.Business!);
        }
    }

    [Fact]
    public void WholeLogSnapshotIsReusedAndRenewedAfterALoad()
    {
        var miner = new ProcessMiner(_store);
        var sql = new ProcessMiner(_store) { InMemoryDfgLimit = 0 };
        var first = miner.DirectlyFollows(MiningFilter.All, null);
        var again = miner.DirectlyFollows(MiningFilter.All, BuiltInCalendars.UtcWeekdays9To17);
        Assert.Equal(sql.DirectlyFollows(MiningFilter.All, null).Select(e => (e.From, e.To, e.Count, e.Cases)), first.Select(e => (e.From, e.To, e.Count, e.Cases)));
        Assert.Equal(first.Select(e => e.WallClock), again.Select(e => e.WallClock));

        Load.File(_store, Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.csv"),
            Analytics.Storage.Ingestion.ColumnMapping.Load(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.mapping.json")));
        var after = miner.DirectlyFollows(MiningFilter.All, null);

        Assert.Equal(sql.DirectlyFollows(MiningFilter.All, null).Select(e => (e.From, e.To, e.Count, e.Cases)), after.Select(e => (e.From, e.To, e.Count, e.Cases)));
        Assert.True(after.Sum(e => e.Count) > first.Sum(e => e.Count));
    }

    private static void Same(DurationSummary a, DurationSummary b)
    {
        Assert.Equal(a.Count, b.Count);
        foreach (var (x, y) in new[] { (a.MeanSeconds, b.MeanSeconds), (a.MedianSeconds, b.MedianSeconds), (a.P90Seconds, b.P90Seconds),
                     (a.P95Seconds, b.P95Seconds), (a.MinSeconds, b.MinSeconds), (a.MaxSeconds, b.MaxSeconds), (a.StdevSeconds ?? 0, b.StdevSeconds ?? 0) })
            Assert.Equal(x, y, 1e-6 * Math.Max(1, Math.Abs(x)));
    }
}
