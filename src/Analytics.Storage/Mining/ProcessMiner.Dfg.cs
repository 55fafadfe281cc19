using System.Globalization;
using Analytics.Core.Mining;
using Analytics.Core.Mining.Columnar;

namespace Analytics.Storage.Mining;

/// <summary>Logs that fit in memory are mined as columns (<see cref="ColumnarMiner"/>).</summary>
public sealed partial class ProcessMiner
{
    /// <summary>
    /// Logs up to this many events are mined in memory, as columns (<see cref="EventColumns"/>, about 20 bytes an
    /// event, plus 8–16 bytes a pair while a graph is computed): 50 million events take about 1 GB for the columns
    /// and 0.8 GB more while the graph is computed. Larger logs are mined by SQL inside DuckDB, which spills to disk
    /// under its memory limit.
    /// </summary>
    internal const long InMemoryEvents = 50_000_000;

    /// <summary>The limit in force (tests lower it to compare the two paths).</summary>
    internal long InMemoryDfgLimit { get; set; } = InMemoryEvents;

    /// <summary>Whether the log is mined as columns in memory rather than by SQL.</summary>
    /// <returns>The columns and the scope of the filter over them; <c>null</c> for SQL.</returns>
    private (EventColumns Columns, ColumnarScope Scope)? InMemory(MiningFilter filter, CancellationToken cancellationToken = default)
    {
        var (events, version) = StoreVersion();
        if (events > InMemoryDfgLimit)
            return null;
        if (ColumnarScope.Answers(filter))
        {
            var whole = WholeLog(version, cancellationToken);
            return (whole, ColumnarScope.Of(filter, whole));
        }
        // Conditions on case attributes and samples are applied by the store; the columns hold just those cases.
        var part = EventColumnsReader.Read(_store, Scope(filter), cancellationToken);
        return (part, ColumnarScope.Of(MiningFilter.All, part));
    }

    /// <summary>
    /// The whole log as columns, kept with the store between calls (the worker's store stays open, so its calls
    /// find them warm) and read again when the store has changed.
    /// </summary>
    private EventColumns WholeLog(string version, CancellationToken cancellationToken)
    {
        if (_store.MiningColumns is { } cached && cached.Version == version)
            return cached.Columns;
        var onDisk = _store.Path != ":memory:";
        var columns = onDisk ? EventColumnsFile.TryRead(_store.Path, version) : null;
        if (columns is null)
        {
            columns = EventColumnsReader.Read(_store, "SELECT case_no, activity, ts, resource, role, file_id, seq FROM events", cancellationToken);
            if (onDisk && columns.Events >= EventColumnsFile.MinimumEvents)
                EventColumnsFile.Write(_store.Path, version, columns);
        }
        _store.MiningColumns = (version, columns);
        return columns;
    }

    /// <summary>The store's version as the columns file records it.</summary>
    internal string VersionForTests() => StoreVersion().Version;

    /// <summary>
    /// The number of events and a version of the store's content: events arrive a whole file at a time, each with a
    /// new file id, and are never removed; the files' content hashes and load times tell one store from another of
    /// the same size at the same path.
    /// </summary>
    private (long Events, string Version) StoreVersion()
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = """
            SELECT (SELECT count(*) FROM events), (SELECT coalesce(max(file_id), 0) FROM events),
                   (SELECT coalesce(md5(string_agg(content_sha256 || '@' || CAST(epoch_us(loaded_at) AS VARCHAR), ',' ORDER BY file_id)), '') FROM files)
            """;
        using var r = cmd.ExecuteReader();
        r.Read();
        var events = r.GetInt64(0);
        return (events, string.Create(CultureInfo.InvariantCulture, $"{events}:{r.GetValue(1)}:{r.GetString(2)}"));
    }
}
