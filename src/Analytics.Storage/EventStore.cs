using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using Analytics.Storage.Schema;
using DuckDB.NET.Data;

namespace Analytics.Storage;

/// <summary>
/// The embedded DuckDB event store: one database file (or <c>:memory:</c>) with the schema brought up to date on open.
/// </summary>
/// <remarks>
/// DuckDB lets one process open a file for writing; while another process holds it, <see cref="Open"/> throws
/// <see cref="StoreUnavailableException"/> naming the holder instead of waiting. Not thread-safe: use one store per
/// thread of work, or serialise calls.
/// </remarks>
public sealed partial class EventStore : IDisposable
{
    private readonly DuckDBConnection _connection;

    private EventStore(DuckDBConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The database file, or <c>:memory:</c>.</summary>
    public string Path { get; }

    internal DuckDBConnection Connection => _connection;

    /// <summary>The whole log as columns for mining, with the store version they were read at and <see cref="EventsWritten"/> then (<c>ProcessMiner</c> keeps them).</summary>
    internal (string Version, long Written, Core.Mining.Columnar.EventColumns Columns)? MiningColumns { get; set; }

    /// <summary>
    /// How many loads this process has committed to the store. Only one process opens a store, and events are
    /// written only by the loader, so columns read at the same count are still the store's.
    /// </summary>
    internal long EventsWritten { get; private set; }

    /// <summary>Records that a load committed events.</summary>
    internal void EventsChanged() => EventsWritten++;

    /// <summary>Opens the database and applies pending migrations.</summary>
    /// <param name="path">A file path, or <c>:memory:</c> for a private in-memory database.</param>
    /// <param name="memoryLimit">DuckDB's memory limit, e.g. <c>512MB</c>; above it DuckDB spills to a temp folder beside the file.</param>
    /// <param name="create">Whether a file that does not exist is created (an empty store); otherwise its absence is an error.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="StoreUnavailableException">Another process holds the file; the path is a folder, or a file that is not a
    /// DuckDB database (DuckDB would silently open, say, a CSV as an in-memory database and lose everything); or the
    /// file does not exist and <paramref name="create"/> is false.</exception>
    public static EventStore Open(string path, string memoryLimit = "1GB", bool create = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var inMemory = path == ":memory:";
        if (!inMemory)
        {
            path = System.IO.Path.GetFullPath(path);
            CheckFile(path, create);
            var folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
                Directory.CreateDirectory(folder);
        }
        var connection = new DuckDBConnection($"DataSource={path}");
        try
        {
            connection.Open();
        }
        catch (DuckDBException ex)
        {
            connection.Dispose();
            throw Explain(path, ex);
        }
        var store = new EventStore(connection, path);
        try
        {
            store.SetMemoryLimit(memoryLimit);
            store.Execute("SET TimeZone = 'UTC'");
            if (!inMemory)
                store.Execute($"SET temp_directory = '{(path + ".tmp").Replace("'", "''", StringComparison.Ordinal)}'");
            store.Migrate();
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return store;
    }

    /// <summary>Sets DuckDB's memory limit (e.g. <c>512MB</c>); above it DuckDB spills to a temp folder beside the file.</summary>
    /// <param name="memoryLimit">The limit.</param>
    public void SetMemoryLimit(string memoryLimit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(memoryLimit);
        Execute($"SET memory_limit = '{memoryLimit.Replace("'", "", StringComparison.Ordinal)}'");
    }

    /// <summary>The schema version the database is at.</summary>
    public int SchemaVersion => Convert.ToInt32(Scalar("SELECT coalesce(max(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);

    /// <summary>Counts of distinct cases, events and activities in the store.</summary>
    /// <returns>The counts.</returns>
    public StoreStatistics Statistics()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT (SELECT count(DISTINCT case_id) FROM cases),
                   (SELECT count(*) FROM events),
                   (SELECT count(DISTINCT activity) FROM events),
                   (SELECT count(*) FROM quarantine),
                   (SELECT count(*) FROM files)
            """;
        using var reader = cmd.ExecuteReader();
        reader.Read();
        return new StoreStatistics(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    /// <summary>The latest event instant in the store (UTC); <see cref="DateTime.MinValue"/> when empty.</summary>
    public DateTime LatestEventUtc() => Scalar("SELECT max(ts) FROM events") is DateTime t ? t.ToUniversalTime() : DateTime.MinValue;

    /// <summary>The instant of the earliest event, or <see cref="DateTime.MinValue"/> when the store is empty.</summary>
    public DateTime EarliestEventUtc() => Scalar("SELECT min(ts) FROM events") is DateTime t ? t.ToUniversalTime() : DateTime.MinValue;

    /// <summary>Starts a transaction on the store's connection: what is written until <c>Commit</c> lands together or not at all.</summary>
    public System.Data.Common.DbTransaction BeginTransaction() => _connection.BeginTransaction();

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    /// <summary>
    /// Interrupts the statement running on the store's connection when the token is cancelled (a long insert or
    /// query would otherwise run to its end); dispose the registration when the work is done.
    /// </summary>
    public CancellationTokenRegistration InterruptOn(CancellationToken cancellationToken) => cancellationToken.Register(() =>
    {
        using var cmd = _connection.CreateCommand();
        cmd.Cancel();
    });

    internal void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    internal object? Scalar(string sql, params object[] parameters)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters)
            cmd.Parameters.Add(new DuckDBParameter(p));
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private void Migrate()
    {
        Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)");
        var current = SchemaVersion;
        if (current > SchemaMigrations.Latest)
            throw new StoreUnavailableException($"{Path}: database schema version {current} is newer than this build knows ({SchemaMigrations.Latest}); use a newer analytics.");
        foreach (var (version, description, sql) in SchemaMigrations.All.Where(m => m.Version > current))
        {
            using var tx = _connection.BeginTransaction(IsolationLevel.Snapshot);
            Execute(sql);
            using (var cmd = _connection.CreateCommand())
            {
                cmd.CommandText = "INSERT INTO schema_version VALUES ($1, $2, now())";
                cmd.Parameters.Add(new DuckDBParameter(version));
                cmd.Parameters.Add(new DuckDBParameter(description));
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    /// <summary>Refuses a path that is a folder, a file that is not a DuckDB database, or a missing file when none may be created.</summary>
    private static void CheckFile(string path, bool create)
    {
        if (Directory.Exists(path))
            throw new StoreUnavailableException($"{path} is a folder, not a database file; give --db the path of a .duckdb file.");
        if (!File.Exists(path))
        {
            if (!create)
                throw new StoreUnavailableException($"{path}: no such database. Check the path (--db, or Analytics:Database), or add --create to start an empty store there.");
            return;
        }
        // A DuckDB file carries "DUCK" at byte 8 of its header.
        var header = new byte[12];
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (IOException ex)
        {
            throw new StoreUnavailableException($"{path}: cannot read the database file: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreUnavailableException($"{path}: no permission to read the database file.", ex);
        }
        if (read < header.Length || header[8] != 'D' || header[9] != 'U' || header[10] != 'C' || header[11] != 'K')
            throw new StoreUnavailableException(
                $"{path} exists and is not a DuckDB database{(read == 0 ? " (it is empty: a store whose creation was interrupted? it holds nothing; delete it and run again)" : "")}; nothing was opened. Give --db the path of a .duckdb file (a log to load goes after 'ingest').");
    }

    private static StoreUnavailableException Explain(string path, DuckDBException ex)
    {
        var message = ex.Message;
        if (message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase))
        {
            var holder = LockHolder().Match(message);
            var who = holder.Success ? $"process {holder.Groups["pid"].Value} ({holder.Groups["exe"].Value.Trim()})" : "another process";
            return new StoreUnavailableException(
                $"{path} is in use by {who}. Only one process can open the database; if that is 'analytics serve', stop it or drop files into its inbox instead.", ex);
        }
        return new StoreUnavailableException($"{path}: cannot open the database: {message}", ex);
    }

    [GeneratedRegex(@"held in (?<exe>.+?) \(PID (?<pid>\d+)\)")]
    private static partial Regex LockHolder();
}
