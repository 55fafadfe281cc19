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
        // Nothing loaded since the columns were read: they are the store's (no query needed to know it).
        if (ColumnarScope.Answers(filter) && _store.MiningColumns is { } kept && kept.Written == _store.EventsWritten && kept.Columns.Events <= InMemoryDfgLimit)
            return (kept.Columns, ColumnarScope.Of(filter, kept.Columns));
        var (events, version) = StoreVersion();
        Core.Diagnostics.PhaseTrace.Mark("mine: store version");
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
    /// The whole log as columns, kept with the store between calls (the worker's store stays open, so its calls find
    /// them warm); for a large store also in the columns file beside it, for the next command. When the store has
    /// grown since (files loaded, none removed), only the new files' events are read and merged in.
    /// </summary>
    private EventColumns WholeLog(string version, CancellationToken cancellationToken)
    {
        var written = _store.EventsWritten;
        if (_store.MiningColumns is { } cached && cached.Version == version)
        {
            _store.MiningColumns = cached with { Written = written };
            return cached.Columns;
        }
        var onDisk = _store.Path != ":memory:";
        var earlier = _store.MiningColumns is { } m ? (m.Version, m.Columns) : onDisk ? EventColumnsFile.TryRead(_store.Path) : null;
        EventColumns columns;
        if (earlier is { } e && e.Version == version)
            columns = e.Columns;
        else if (earlier is { } g && Grown(g.Version, version) is { } since)
            columns = EventColumnsMerge.Merge(g.Columns,
                EventColumnsReader.Read(_store, $"SELECT case_no, activity, ts, resource, role, file_id, seq FROM events WHERE file_id > {since}", cancellationToken));
        else
            columns = EventColumnsReader.Read(_store, "SELECT case_no, activity, ts, resource, role, file_id, seq FROM events", cancellationToken);
        if (onDisk && columns.Events >= EventColumnsFile.MinimumEvents && earlier?.Version != version)
            EventColumnsFile.Write(_store.Path, version, columns);
        _store.MiningColumns = (version, written, columns);
        Core.Diagnostics.PhaseTrace.Mark("mine: columns ready");
        return columns;
    }

    /// <summary>
    /// The last file id of <paramref name="earlier"/> when the store at <paramref name="now"/> holds those events and
    /// more, all from later files (its event count grew by what the later files hold); otherwise <c>null</c>.
    /// </summary>
    private long? Grown(string earlier, string now)
    {
        var a = earlier.Split(':');
        var b = now.Split(':');
        if (a.Length != 3 || b.Length != 3 || !long.TryParse(a[0], CultureInfo.InvariantCulture, out var events)
            || !long.TryParse(a[1], CultureInfo.InvariantCulture, out var lastFile) || !long.TryParse(b[0], CultureInfo.InvariantCulture, out var eventsNow)
            || eventsNow <= events)
            return null;
        using var cmd = Connection.CreateCommand();
        // The same files up to the earlier last one (their hashes and load times), and no event of theirs gone.
        cmd.CommandText = $"""
            SELECT (SELECT count(*) FILTER (WHERE file_id <= {lastFile}) FROM events), (SELECT count(*) FILTER (WHERE file_id > {lastFile}) FROM events),
                   (SELECT coalesce(md5(string_agg(content_sha256 || '@' || CAST(epoch_us(loaded_at) AS VARCHAR), ',' ORDER BY file_id)), '') FROM files WHERE file_id <= {lastFile})
            """;
        using var r = cmd.ExecuteReader();
        r.Read();
        return r.GetInt64(0) == events && r.GetInt64(1) == eventsNow - events && r.GetString(2) == a[2] ? lastFile : null;
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
