using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage.Mining;
using Analytics.Storage.Tests.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Mining;

/// <summary>The directly-follows graph mined in memory as columns equals the SQL path's edge for edge.</summary>
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
        var sql = new ProcessMiner(_store) { InMemoryDfgLimit = -1 }.DirectlyFollows(filter, calendar);

        Assert.True(sql.Count > 10);
        SameEdges(sql, memory);

        // A window on the cases' first events and one on their last, answered by the columns themselves.
        var window = new MiningFilter { FromUtc = new DateTime(2024, 9, 1), ToUtc = new DateTime(2024, 12, 1), EndedFromUtc = new DateTime(2024, 9, 15) };
        var inWindow = new ProcessMiner(_store).DirectlyFollows(window, calendar);
        Assert.NotEmpty(inWindow);
        Assert.True(inWindow.Sum(e => e.Count) < new ProcessMiner(_store).DirectlyFollows(MiningFilter.All, calendar).Sum(e => e.Count));
        SameEdges(new ProcessMiner(_store) { InMemoryDfgLimit = -1 }.DirectlyFollows(window, calendar), inWindow);
    }

    /// <summary>The same edges in the same order, with counts, cases and summaries alike to a millionth.</summary>
    internal static void SameEdges(IReadOnlyList<DfgEdge> sql, IReadOnlyList<DfgEdge> memory)
    {
        Assert.Equal(sql.Count, memory.Count);
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
    public void WholeLogColumnsAreKeptWithTheStoreAndRenewedAfterALoad()
    {
        var miner = new ProcessMiner(_store);
        var sql = new ProcessMiner(_store) { InMemoryDfgLimit = -1 };
        var first = miner.DirectlyFollows(MiningFilter.All, null);
        var again = miner.DirectlyFollows(MiningFilter.All, BuiltInCalendars.UtcWeekdays9To17);
        Assert.Equal(sql.DirectlyFollows(MiningFilter.All, null).Select(e => (e.From, e.To, e.Count, e.Cases)), first.Select(e => (e.From, e.To, e.Count, e.Cases)));
        Assert.Equal(first.Select(e => e.WallClock), again.Select(e => e.WallClock));
        var kept = _store.MiningColumns;
        Assert.NotNull(kept);
        new ProcessMiner(_store).DirectlyFollows(MiningFilter.All, null);
        Assert.Same(kept.Value.Columns, _store.MiningColumns!.Value.Columns);

        Load.File(_store, Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.csv"),
            Analytics.Storage.Ingestion.ColumnMapping.Load(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.mapping.json")));
        var after = miner.DirectlyFollows(MiningFilter.All, null);

        Assert.Equal(sql.DirectlyFollows(MiningFilter.All, null).Select(e => (e.From, e.To, e.Count, e.Cases)), after.Select(e => (e.From, e.To, e.Count, e.Cases)));
        Assert.True(after.Sum(e => e.Count) > first.Sum(e => e.Count));
        Assert.NotSame(kept.Value.Columns, _store.MiningColumns!.Value.Columns);
    }

    private static void Same(DurationSummary a, DurationSummary b)
    {
        Assert.Equal(a.Count, b.Count);
        foreach (var (x, y) in new[] { (a.MeanSeconds, b.MeanSeconds), (a.MedianSeconds, b.MedianSeconds), (a.P90Seconds, b.P90Seconds),
                     (a.P95Seconds, b.P95Seconds), (a.MinSeconds, b.MinSeconds), (a.MaxSeconds, b.MaxSeconds), (a.StdevSeconds ?? 0, b.StdevSeconds ?? 0) })
            Assert.Equal(x, y, 1e-6 * Math.Max(1, Math.Abs(x)));
    }
}
