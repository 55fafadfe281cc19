using Analytics.Core.Mining;
using Analytics.Storage.Mining;
using Analytics.Storage.Tests.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Mining;

/// <summary>The columns file beside a store: read back as written, and ignored when stale or damaged.</summary>
public sealed class EventColumnsFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ColumnsReadBackAsWrittenOnlyForTheirVersion()
    {
        var db = Path.Combine(_folder.Path, "s.duckdb");
        using var store = EventStore.Open(db);
        Load.File(store, Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));
        var columns = EventColumnsReader.Read(store, "SELECT case_no, activity, ts, resource, role, file_id, seq FROM events", CancellationToken.None);

        EventColumnsFile.Write(db, "v1", columns);
        var back = EventColumnsFile.TryRead(db, "v1");

        Assert.NotNull(back);
        SameColumns(columns, back);
        Assert.Null(EventColumnsFile.TryRead(db, "v2"));

        // Cut short: ignored, not an error.
        var path = EventColumnsFile.PathOf(db);
        using (var f = new FileStream(path, FileMode.Open))
            f.SetLength(f.Length / 2);
        Assert.Null(EventColumnsFile.TryRead(db, "v1"));
    }

    /// <summary>Every column and dictionary alike.</summary>
    internal static void SameColumns(Analytics.Core.Mining.Columnar.EventColumns expected, Analytics.Core.Mining.Columnar.EventColumns actual)
    {
        Assert.Equal(expected.CaseStarts, actual.CaseStarts);
        Assert.Equal(expected.CaseNumbers, actual.CaseNumbers);
        Assert.Equal(expected.Activity, actual.Activity);
        Assert.Equal(expected.Micros, actual.Micros);
        Assert.Equal(expected.Resource, actual.Resource);
        Assert.Equal(expected.Role, actual.Role);
        Assert.Equal(expected.ActivityNames, actual.ActivityNames);
        Assert.Equal(expected.ResourceNames, actual.ResourceNames);
        Assert.Equal(expected.RoleNames, actual.RoleNames);
    }

    [Fact]
    public void AStoreReplacedAtTheSamePathIsNotMinedFromTheOldColumns()
    {
        var db = Path.Combine(_folder.Path, "r.duckdb");
        IReadOnlyList<DfgEdge> before;
        using (var store = EventStore.Open(db))
        {
            Load.File(store, Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));
            var columns = EventColumnsReader.Read(store, "SELECT case_no, activity, ts, resource, role, file_id, seq FROM events", CancellationToken.None);
            before = new ProcessMiner(store).DirectlyFollows(MiningFilter.All, null);
            // As the miner writes it for a large log.
            EventColumnsFile.Write(db, new ProcessMiner(store).VersionForTests(), columns);
        }
        File.Delete(db);
        using (var store = EventStore.Open(db))
        {
            Load.File(store, Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.csv"),
                Analytics.Storage.Ingestion.ColumnMapping.Load(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.mapping.json")));
            var after = new ProcessMiner(store).DirectlyFollows(MiningFilter.All, null);
            var sql = new ProcessMiner(store) { InMemoryDfgLimit = -1 }.DirectlyFollows(MiningFilter.All, null);
            DfgPathsTests.SameEdges(sql, after);
            Assert.NotEqual(before.Sum(e => e.Count), after.Sum(e => e.Count));
        }
    }
}

/// <summary>Columns renewed after a load by merging the new file's events equal columns read afresh.</summary>
public sealed class EventColumnsRenewalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void MergedColumnsEqualColumnsReadAfresh()
    {
        // One log cut in two by rows, so that many cases have events in both files, some at equal instants.
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));
        var header = lines[0];
        var rows = lines.Skip(1).ToList();
        var firstHalf = rows.Where((_, i) => i % 3 != 0).ToList();
        var secondHalf = rows.Where((_, i) => i % 3 == 0).ToList();
        var a = _folder.Write("a.csv", string.Join('\n', firstHalf.Prepend(header)) + "\n");
        var b = _folder.Write("b.csv", string.Join('\n', secondHalf.Prepend(header)) + "\n");
        using var store = EventStore.Open(Path.Combine(_folder.Path, "m.duckdb"));
        Load.File(store, a);
        var miner = new ProcessMiner(store);
        var before = miner.DirectlyFollows(MiningFilter.All, null);
        var kept = store.MiningColumns!.Value;

        Load.File(store, b);
        var after = miner.DirectlyFollows(MiningFilter.All, Analytics.Core.Calendars.BuiltInCalendars.UtcWeekdays9To17);
        var merged = store.MiningColumns!.Value.Columns;
        var fresh = EventColumnsReader.Read(store, "SELECT case_no, activity, ts, resource, role, file_id, seq FROM events", CancellationToken.None);

        Assert.NotSame(kept.Columns, merged);
        Assert.True(merged.Events > kept.Columns.Events);
        EventColumnsFileTests.SameColumns(fresh, merged);
        DfgPathsTests.SameEdges(new ProcessMiner(store) { InMemoryDfgLimit = -1 }.DirectlyFollows(MiningFilter.All, Analytics.Core.Calendars.BuiltInCalendars.UtcWeekdays9To17), after);
        Assert.True(after.Sum(e => e.Count) > before.Sum(e => e.Count));
    }
}
