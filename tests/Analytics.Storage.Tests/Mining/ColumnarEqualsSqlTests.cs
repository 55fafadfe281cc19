using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage.Mining;
using Analytics.Storage.Tests.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Mining;

/// <summary>
/// On every real log, the in-memory column engine answers as the SQL path does: the same edges in the same order with
/// the same counts, cases and duration summaries (wall clock and business hours), and the same variants.
/// </summary>
public sealed class ColumnarEqualsSqlTests
{
    [Theory]
    [MemberData(nameof(RealLogCountsTests.Logs), MemberType = typeof(RealLogCountsTests))]
    public void ColumnsEqualSqlOnARealLog(string log)
    {
        using var store = EventStore.Open(":memory:");
        Load.File(store, Path.Combine(RepositoryPaths.RealLogs, log));
        var columns = new ProcessMiner(store);
        var sql = new ProcessMiner(store) { InMemoryDfgLimit = -1 };
        var calendar = BuiltInCalendars.UtcWeekdays9To17;

        var memory = columns.DirectlyFollows(MiningFilter.All, calendar);
        var expected = sql.DirectlyFollows(MiningFilter.All, calendar);
        Assert.NotEmpty(expected);
        DfgPathsTests.SameEdges(expected, memory);
        DfgPathsTests.SameEdges(sql.DirectlyFollows(MiningFilter.All, null), columns.DirectlyFollows(MiningFilter.All, null));

        // Leaving out the most frequent activity re-pairs its neighbours.
        var top = memory[0].To;
        var without = new MiningFilter { ExcludeActivities = [top] };
        DfgPathsTests.SameEdges(sql.DirectlyFollows(without, null), columns.DirectlyFollows(without, null));

        var variants = columns.Variants(MiningFilter.All);
        var sqlVariants = sql.Variants(MiningFilter.All);
        Assert.Equal(sqlVariants.Count, variants.Count);
        foreach (var (a, b) in sqlVariants.Zip(variants))
        {
            Assert.Equal(a.Activities, b.Activities);
            Assert.Equal(a.Count, b.Count);
            Assert.Equal(a.Coverage, b.Coverage, 1e-12);
        }
    }
}
