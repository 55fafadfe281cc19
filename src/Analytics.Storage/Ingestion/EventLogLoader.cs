using System.Data;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Analytics.Core.Diagnostics;
using DuckDB.NET.Data;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// Loads event-log files into the <see cref="EventStore"/>, each file in one transaction: after a crash at any moment
/// either all of a file is in or none of it, and loading it again finishes the job.
/// </summary>
/// <remarks>
/// A file whose content (SHA-256) was loaded before is skipped. Events already stored from another file (same case,
/// activity, instant, lifecycle, resource and role, counted with multiplicity) are not added twice. Rows that cannot
/// become events go to the <c>quarantine</c> table with line and reason; if their share passes
/// <see cref="IngestOptions.MaxBadRowRatio"/> the whole file is refused and nothing is stored. Not thread-safe.
/// </remarks>
public sealed partial class EventLogLoader
{
    private readonly EventStore _store;
    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly List<string> _cleanup = [];

    /// <summary>Creates a loader over a store.</summary>
    public EventLogLoader(EventStore store, IngestOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _options = options;
        _time = time;
    }

    private DuckDBConnection Connection => _store.Connection;

    /// <summary>Loads one file.</summary>
    /// <param name="path">An XES (.xes, .xes.gz), CSV (.csv, .tsv, .csv.gz), Parquet or JSON Lines (.jsonl, .ndjson) file.</param>
    /// <param name="mapping">Column mapping for tabular formats; when null, <c>NAME.mapping.json</c> beside the file, else <see cref="ColumnMapping.Default"/>.</param>
    /// <param name="progress">Receives progress; may be null.</param>
    /// <param name="cancellationToken">Cancels the load; nothing of the file is stored then.</param>
    /// <returns>What happened; a refused file is a <see cref="ImportStatus.Rejected"/> result, not an exception.</returns>
    public Task<FileImportResult> LoadAsync(string path, ColumnMapping? mapping, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        // A file may take so long and no longer: the bound cancels the load like Ctrl-C, and says so.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Limits.MaxSecondsPerFile > 0)
            bounded.CancelAfter(TimeSpan.FromSeconds(_options.Limits.MaxSecondsPerFile));
        try
        {
            return Load(path, mapping, progress, bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Task.FromResult(FileImportResult.Rejected(path, string.Create(CultureInfo.InvariantCulture,
                $"{path}: loading took longer than {_options.Limits.MaxSecondsPerFile:0} s; nothing was stored (raise Analytics:MaxSecondsPerFile if the file is genuine)")));
        }
    }

    private Task<FileImportResult> Load(string path, ColumnMapping? mapping, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        if (Unreadable(path, fullPath) is { } why)
            return Task.FromResult(FileImportResult.Rejected(path, $"{path}: {why}"));
        if (!LogFormats.TryDetect(fullPath, out var format))
            return Task.FromResult(FileImportResult.Rejected(path, $"{path}: unsupported file type '{Path.GetExtension(path)}' (expected .xes, .xes.gz, .csv, .tsv, .parquet, .jsonl)"));

        var size = new FileInfo(fullPath).Length;
        var written = File.GetLastWriteTimeUtc(fullPath);
        // A file still being written (under its final name) must not be loaded half-way.
        string? Changed()
        {
            var now = new FileInfo(fullPath);
            return now.Length != size || now.LastWriteTimeUtc != written
                ? string.Create(CultureInfo.InvariantCulture, $"{path}: the file changed while it was being read ({size:N0} bytes, now {now.Length:N0}); nothing was stored. Load it again once it is complete (write it under a .part name and rename it when done)")
                : null;
        }
        // The content hash is computed on another core while the file is read; a file loaded before is skipped
        // before anything is stored.
        var hashing = Task.Run(() => Sha256(fullPath, cancellationToken), cancellationToken);
        CreateStaging();
        PhaseTrace.Mark("load: checks, staging tables");
        try
        {
            TimeZoneInfo zone;
            try
            {
                mapping ??= ColumnMapping.ForFile(fullPath) ?? ColumnMapping.Default;
                mapping.Validate(path);
                zone = mapping.ResolveTimeZone(path);
            }
            catch (InvalidDataException ex)
            {
                return Task.FromResult(FileImportResult.Rejected(path, ex.Message));
            }
            // Naive timestamps read by DuckDB take the mapping's zone, in every pass over the file.
            _store.Execute($"SET TimeZone = {Sql.Literal(mapping.TimeZone)}");
            using var interrupt = _store.InterruptOn(cancellationToken);
            try
            {
                var staged = Stage(fullPath, format, mapping, zone, size, progress, cancellationToken);
                PhaseTrace.Mark("load: file read and staged");
                var hash = hashing.GetAwaiter().GetResult();
                PhaseTrace.Mark("load: content hash waited for");
                if (Changed() is { } changed)
                    return Task.FromResult(FileImportResult.Rejected(path, changed));
                if (_store.Scalar("SELECT path FROM files WHERE content_sha256 = $1", hash) is string earlier)
                    return Task.FromResult(new FileImportResult(path, ImportStatus.SkippedDuplicate, 0, 0, 0, 0, 0, $"same content as {earlier}, loaded before"));
                progress?.Report(new IngestProgress(path, "storing", size, size));
                var committed = Commit(path, fullPath, hash, size, format, staged, Changed, cancellationToken);
                PhaseTrace.Mark("load: events stored, committed");
                return Task.FromResult(committed);
            }
            catch (DuckDBException) when (cancellationToken.IsCancellationRequested)
            {
                // The statement was interrupted: the transaction is rolled back, nothing of the file is stored.
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or DuckDBException or IOException or NotSupportedException or FormatException)
            {
                // DuckDB names the copy it read; the user knows the file.
                var message = _cleanup.Aggregate(Describe(ex), (m, copy) => m.Replace(copy, fullPath, StringComparison.Ordinal));
                return Task.FromResult(FileImportResult.Rejected(path, $"{path}: {message}"));
            }
        }
        finally
        {
            // The hashing task reads the file: it ends before the file is released to the caller.
            ((IAsyncResult)hashing).AsyncWaitHandle.WaitOne();
            _store.Execute("SET TimeZone = 'UTC'; RESET preserve_insertion_order; RESET force_compression;");
            _store.Execute("DROP TABLE IF EXISTS temp.csv_rejects_again; DROP TABLE IF EXISTS temp.csv_reject_scans_again;");
            DropStaging();
            foreach (var file in _cleanup)
                File.Delete(file);
            _cleanup.Clear();
            PhaseTrace.Mark("load: staging dropped");
        }
    }

    /// <summary>
    /// Why a path cannot be loaded, or null: it must name a regular file (a FIFO or a device never ends, so reading
    /// one would hang the load), after following links.
    /// </summary>
    internal static string? Unreadable(string path, string fullPath)
    {
        if (Directory.Exists(fullPath))
            return "is a folder, not a log file";
        var info = new FileInfo(fullPath);
        if (!info.Exists && info.LinkTarget is null)
            return "no such file";
        FileSystemInfo target = info;
        if (info.LinkTarget is not null)
        {
            target = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            if (!target.Exists)
                return $"is a link to {info.LinkTarget}, which does not exist";
        }
        // A FIFO, socket or device never ends (or blocks the open): .NET shows no file type, so ask the system.
        if (!Native.IsRegularFile(target.FullName))
            return info.LinkTarget is null ? "is not a regular file (a pipe, socket or device never ends); copy the data into a file"
                : $"is a link to {target.FullName}, which is not a regular file (a pipe, socket or device never ends)";
        return null;
    }

    private static string Describe(Exception ex) => ex switch
    {
        InvalidDataException when ex.Message.Contains("unsupported compression", StringComparison.OrdinalIgnoreCase) => "corrupt gzip data",
        DuckDBException => InPlainWords(ex.Message),
        _ => ex.Message.ReplaceLineEndings(" "),
    };

    /// <summary>DuckDB's error in the product's words: its first line, without the error class, and a CSV line named as such.</summary>
    internal static string InPlainWords(string duckdb)
    {
        var first = duckdb.Split('\n', 2)[0].Trim();
        foreach (var prefix in new[] { "Invalid Input Error: ", "Conversion Error: ", "IO Error: ", "Binder Error: ", "Parser Error: ", "Invalid Error: " })
            if (first.StartsWith(prefix, StringComparison.Ordinal))
                first = first[prefix.Length..];
        var csv = CsvLine().Match(first);
        if (csv.Success)
            first = $"line {csv.Groups["line"].Value}: {first[(csv.Index + csv.Length)..].Trim(' ', ':', '.')}";
        if (first.StartsWith("No magic bytes found at end of file", StringComparison.Ordinal))
            first = "not a Parquet file (it lacks Parquet's closing magic bytes; a truncated download, or another format under a .parquet name?)";
        if (first.StartsWith("Error when sniffing file", StringComparison.Ordinal))
            first = "the rows do not follow one CSV layout (delimiter, quotes, columns): check the delimiter and quote in the mapping";
        return first.Length > 300 ? first[..300] + "…" : first;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"CSV Error on Line: (?<line>\d+)")]
    private static partial System.Text.RegularExpressions.Regex CsvLine();

    private Staged Stage(string path, LogFormat format, ColumnMapping mapping, TimeZoneInfo zone, long size, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        Action<long>? report = progress is null ? null : done => progress.Report(new IngestProgress(path, "reading", done, size));
        switch (format)
        {
            case LogFormat.Xes:
                using (var input = TextInput.Open(path, _options.Limits, out var counting))
                using (var writer = new StagingWriter(Connection))
                {
                    var xes = new XesReader(zone, _options.Limits.MaxElementBytes);
                    xes.Read(input, writer, report is null ? null : _ => report(counting.Position), cancellationToken);
                    return new Staged("temp.stage", "temp.stage", []) { Offsets = xes.Offsets };
                }
            case LogFormat.JsonLines:
                using (var input = TextInput.Open(path, _options.Limits, out var counting))
                using (var writer = new StagingWriter(Connection))
                {
                    var jsonl = new JsonLinesReader(mapping, zone, _options.Limits.MaxLineBytes);
                    jsonl.Read(input, writer, report is null ? null : _ => report(counting.Position), cancellationToken);
                    return new Staged("temp.stage", "temp.stage", []) { Offsets = jsonl.Offsets };
                }
            case LogFormat.Csv:
                return StageCsv(path, mapping, progress, size, cancellationToken);
            case LogFormat.Parquet:
                return StageParquet(path, mapping, progress, size);
            default:
                throw new NotSupportedException($"format {format}");
        }
    }

    private static string Sha256(string path, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private void CreateStaging()
    {
        DropStaging();
        _store.Execute("""
            CREATE TEMP TABLE stage (seq BIGINT, line BIGINT, case_id VARCHAR, activity VARCHAR, ts TIMESTAMPTZ, ts_text VARCHAR,
                resource VARCHAR, role VARCHAR, lifecycle VARCHAR, attributes VARCHAR, problem VARCHAR);
            CREATE TEMP TABLE stage_cases (case_id VARCHAR, seq BIGINT);
            CREATE TEMP TABLE stage_case_attributes (case_id VARCHAR, key VARCHAR, value_type VARCHAR, text_value VARCHAR,
                number_value DOUBLE, bool_value BOOLEAN, time_value TIMESTAMPTZ, seq BIGINT);
            CREATE TEMP TABLE stage_rejects (line BIGINT, reason VARCHAR, raw VARCHAR);
            """);
    }

    private void DropStaging() => _store.Execute("""
        DROP TABLE IF EXISTS temp.stage; DROP TABLE IF EXISTS temp.stage_cases; DROP TABLE IF EXISTS temp.stage_case_attributes;
        DROP TABLE IF EXISTS temp.stage_rejects; DROP TABLE IF EXISTS temp.touched; DROP TABLE IF EXISTS temp.stage_keys;
        DROP TABLE IF EXISTS temp.stage_overlap; DROP TABLE IF EXISTS temp.csv_rejects; DROP TABLE IF EXISTS temp.csv_reject_scans;
        """);

    /// <summary>Why a staged row cannot be an event, or NULL. The same expression selects quarantine and events.</summary>
    private string ReasonSql()
    {
        var earliest = _options.Earliest.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var latest = (_time.GetUtcNow() + _options.MaxFutureSkew).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        const string bareNumber = "{9,13}";
        const string impossibleOffset = @":[0-9]{2}(\.[0-9]*)?\s*[+-](1[5-9]|[2-9][0-9]):?[0-9]*\s*$";
        // Shaped for speed on valid rows, evaluated on every row of every pass: trim only what starts with a space
        // (DuckDB's trim removes spaces), and one range test on the timestamp before the reasons of a bad one.
        return $"""
            CASE WHEN problem IS NOT NULL THEN problem
                 WHEN case_id IS NULL OR case_id = '' OR (prefix(case_id, ' ') AND trim(case_id) = '') THEN 'missing case id'
                 WHEN activity IS NULL OR activity = '' OR (prefix(activity, ' ') AND trim(activity) = '') THEN 'missing activity'
                 WHEN ts BETWEEN TIMESTAMPTZ '{earliest}+00' AND TIMESTAMPTZ '{latest}+00' THEN NULL
                 WHEN ts IS NULL AND (ts_text IS NULL OR trim(ts_text) = '') THEN 'missing timestamp'
                 WHEN ts IS NULL AND regexp_matches(ts_text, '{impossibleOffset}') THEN 'impossible UTC offset (offsets run from -12:00 to +14:00)'
                 WHEN ts IS NULL AND regexp_matches(trim(ts_text), '^-?[0-9]{bareNumber}(\.[0-9]+)?$') THEN 'unparseable timestamp: a bare number (Unix time is not read; export the time as ISO 8601, e.g. 2025-03-03T09:00:00+08:00)'
                 WHEN ts IS NULL THEN 'unparseable timestamp'
                 WHEN ts < TIMESTAMPTZ '{earliest}+00' THEN 'impossible timestamp: before {earliest[..10]}'
                 ELSE 'impossible timestamp: in the future'
            END
            """;
    }

    private FileImportResult Commit(string path, string fullPath, string hash, long size, LogFormat format, Staged staged, Func<string?> changed, CancellationToken cancellationToken)
    {
        var reason = ReasonSql();
        // One pass over the rows: per case its first valid row, its row and bad-row counts and its first value of each
        // case attribute; the rest of the load works from this summary and from one more pass (two with bad rows).
        var attributes = staged.CaseAttributes;
        var attributeSql = string.Concat(attributes.Select((a, i) => $", arg_min({a.Column}, seq) FILTER (WHERE {a.Column} IS NOT NULL) AS a_{i}"));
        Exec($"""
            CREATE TEMP TABLE stage_keys AS
            SELECT case_id, min(seq) FILTER (WHERE r IS NULL) AS first_seq, count(*) AS n, count(*) FILTER (WHERE r IS NOT NULL) AS bad,
                   count(*) FILTER (WHERE ts IS NULL) AS no_ts{attributeSql}
            FROM (SELECT *, {reason} AS r FROM {staged.FirstScan}) GROUP BY case_id
            """);
        var (rejects, swallowed) = staged.CollectRejects?.Invoke() ?? (0, 0);
        // The later passes leave out the timestamp check when the first found every timestamp good (it would change nothing).
        if (staged.FastScan is { } fast && Count("SELECT coalesce(sum(no_ts), 0)::BIGINT FROM stage_keys") == 0)
            staged = staged with { Scan = fast };
        long rowsRead, bad;
        using (var cmd = Connection.CreateCommand())
        {
            cmd.CommandText = "SELECT coalesce(sum(n), 0)::BIGINT, coalesce(sum(bad), 0)::BIGINT FROM stage_keys";
            using var r = cmd.ExecuteReader();
            r.Read();
            rowsRead = r.GetInt64(0) + rejects + swallowed;
            bad = r.GetInt64(1) + rejects + swallowed;
        }
        if (rowsRead == 0)
        {
            var traces = Count("SELECT count(*) FROM stage_cases");
            return FileImportResult.Rejected(path, string.Create(CultureInfo.InvariantCulture,
                $"{path}: the file holds no events{(traces > 0 ? $" ({traces:N0} traces, all empty)" : format == LogFormat.Csv ? " (a header line only)" : "")}; nothing to load"));
        }
        // Every record of the file must be accounted for (an event, a quarantined row or a malformed record): a reader
        // that skipped some without a word would otherwise load a part of the file as if it were all of it.
        if (staged.Records is { } records && rejects == 0 && rowsRead != records)
            return FileImportResult.Rejected(path, string.Create(CultureInfo.InvariantCulture,
                $"{path}: only {rowsRead:N0} of the file's {records:N0} records could be read as rows; check its delimiter, quote and line ends against the mapping"));
        if ((double)bad / rowsRead > _options.MaxBadRowRatio)
        {
            // Grouped by the reason itself (GROUP BY ALL would group by the columns the reason reads).
            var top = _store.Scalar($"SELECT string_agg(r || ' (' || n || ')', ', ' ORDER BY n DESC) FROM (SELECT r, count(*) n FROM (SELECT {reason} AS r FROM {staged.Scan}) WHERE r IS NOT NULL GROUP BY r ORDER BY n DESC LIMIT 3)") as string;
            if (rejects > 0)
            {
                var first = _store.Scalar("SELECT reason || ' at line ' || line FROM stage_rejects ORDER BY line LIMIT 1") as string;
                top = string.Join(", ", new[] { top, string.Create(CultureInfo.InvariantCulture,
                    $"malformed rows ({rejects:N0}{(swallowed > 0 ? $" over {rejects + swallowed:N0} lines" : "")}; the first: {first})") }.Where(s => !string.IsNullOrEmpty(s)));
            }
            return FileImportResult.Rejected(path, string.Create(CultureInfo.InvariantCulture,
                $"{path}: {bad:N0} of {rowsRead:N0} rows are bad ({100.0 * bad / rowsRead:F1}% > {100 * _options.MaxBadRowRatio:F1}% allowed): {top}"));
        }
        var attributeTypes = CaseAttributeTypes(attributes);

        cancellationToken.ThrowIfCancellationRequested();
        PhaseTrace.Mark("load: per-case summary, checks");
        using var tx = Connection.BeginTransaction(IsolationLevel.Snapshot);
        var fileId = Convert.ToInt32(_store.Scalar("SELECT coalesce(max(file_id), 0) + 1 FROM files"), CultureInfo.InvariantCulture);
        if (bad > rejects)
            Exec($"""
                INSERT INTO quarantine SELECT {fileId}, line, {reason}, case_id, activity, ts_text, CASE WHEN problem IS NOT NULL THEN attributes END
                FROM {staged.Scan} WHERE ({reason}) IS NOT NULL
                """);
        Exec($"""
            INSERT INTO quarantine SELECT {fileId}, line, reason, NULL, NULL, NULL, raw FROM stage_rejects;
            CREATE TEMP TABLE touched AS SELECT k.case_id FROM stage_keys k SEMI JOIN cases c ON c.case_id = k.case_id;
            """);
        // New cases first, numbered after the stored ones in order of first appearance: events carry the number.
        // stage_keys has a row per case, and touched those already stored; cases without events (empty XES traces)
        // come from stage_cases and are checked against the store themselves.
        var firstSeen = Count("SELECT count(*) FROM stage_cases") == 0
            ? "SELECT case_id, first_seq FROM stage_keys k WHERE first_seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM touched t WHERE t.case_id = k.case_id)"
            : """
              SELECT * FROM (
                  SELECT case_id, min(first_seq) AS first_seq FROM (
                      SELECT case_id, first_seq FROM stage_keys WHERE first_seq IS NOT NULL
                      UNION ALL SELECT case_id, seq FROM stage_cases) GROUP BY case_id) n
              WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = n.case_id)
              """;
        PhaseTrace.Mark("load: file row, bad rows");
        var cases = Exec($"""
            INSERT INTO cases (case_id, file_id, case_no)
            SELECT case_id, {fileId}, (SELECT coalesce(max(case_no), 0) FROM cases) + row_number() OVER (ORDER BY first_seq, case_id)
            FROM ({firstSeen})
            """);
        // The events of cases new in this file go straight in: the join to this file's cases leaves out stored cases.
        // Without bad rows (the usual case) the reasons need not be tested again.
        // Every query orders events explicitly (by case, instant, file and seq), so their physical order is free.
        // Dictionary compression for the strings written now: DuckDB's own choice weighs FSST too, whose analysis
        // costs more than the insert gains (10 M CSV rows: 4.8–5.3 s instead of 6.3–8.3 s, and no larger file).
        _store.Execute("SET preserve_insertion_order = false; SET force_compression = 'dictionary';");
        var events = Exec($"""
            INSERT INTO events (case_id, activity, ts, resource, role, lifecycle, attributes, file_id, seq, case_no)
            SELECT s.case_id, s.activity, s.ts, s.resource, s.role, s.lifecycle, s.attributes, {fileId}, s.seq, c.case_no
            FROM (SELECT * FROM {staged.Scan} {(bad > rejects ? $"WHERE ({reason}) IS NULL" : "")}) s JOIN cases c ON c.case_id = s.case_id AND c.file_id = {fileId}
            """);
        PhaseTrace.Mark("load: cases numbered, events inserted");
        _store.Execute("RESET preserve_insertion_order; RESET force_compression;");
        long overlapping = 0;
        if (Count("SELECT count(*) FROM touched") > 0)
        {
            // Events of cases stored before: staged apart and added only where not already stored (with multiplicity).
            const string identity = "case_id, activity, ts, coalesce(lifecycle, ''), coalesce(resource, ''), coalesce(role, '')";
            Exec($"""
                CREATE TEMP TABLE stage_overlap AS
                SELECT * FROM {staged.Scan} WHERE ({reason}) IS NULL AND case_id IN (SELECT case_id FROM touched)
                """);
            var incoming = Count("SELECT count(*) FROM stage_overlap");
            var added = Exec($"""
                INSERT INTO events (case_id, activity, ts, resource, role, lifecycle, attributes, file_id, seq, case_no)
                SELECT n.case_id, n.activity, n.ts, n.resource, n.role, n.lifecycle, n.attributes, {fileId}, n.seq,
                       (SELECT c.case_no FROM cases c WHERE c.case_id = n.case_id)
                FROM (SELECT *, row_number() OVER (PARTITION BY {identity} ORDER BY seq) AS occ FROM stage_overlap) n
                ANTI JOIN (SELECT case_id, activity, ts, lifecycle, resource, role,
                                  row_number() OVER (PARTITION BY {identity} ORDER BY file_id, seq) AS occ
                           FROM events WHERE case_id IN (SELECT case_id FROM touched)) x
                  ON x.case_id = n.case_id AND x.activity = n.activity AND x.ts = n.ts AND x.occ = n.occ
                 AND x.lifecycle IS NOT DISTINCT FROM n.lifecycle AND x.resource IS NOT DISTINCT FROM n.resource
                 AND x.role IS NOT DISTINCT FROM n.role
                """);
            events += added;
            overlapping = incoming - added;
        }
        // A case keeps the attribute values stored first: only keys it does not have yet are added.
        PhaseTrace.Mark("load: overlapping cases");
        Exec($"""
            INSERT INTO case_attributes
            SELECT a.case_id, a.key, arg_min(value_type, seq), arg_min(text_value, seq), arg_min(number_value, seq),
                   arg_min(bool_value, seq), arg_min(time_value, seq), {fileId}
            FROM stage_case_attributes a
            ANTI JOIN (SELECT case_id, key FROM case_attributes WHERE case_id IN (SELECT case_id FROM stage_case_attributes)) c
              ON c.case_id = a.case_id AND c.key = a.key
            GROUP BY a.case_id, a.key
            """);
        // The count is of quarantine rows: a malformed record over several lines is one (its lines counted as bad
        // rows above), and values left out (not finite) are rows too.
        var quarantined = bad - swallowed + StoreCaseAttributes(attributes, attributeTypes, fileId);
        using (var cmd = Connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
            foreach (var value in new object[] { fileId, fullPath, hash, size, format.ToString().ToLowerInvariant(), _time.GetUtcNow(), rowsRead, events, overlapping, cases, quarantined })
                cmd.Parameters.Add(new DuckDBParameter(value));
            cmd.ExecuteNonQuery();
        }
        if (staged.Offsets is { } offsets)
        {
            using var appender = Connection.CreateAppender("file_offsets");
            foreach (var (yearMonth, minutes, count) in offsets.Rows)
                appender.CreateRow().AppendValue(fileId).AppendValue(yearMonth).AppendValue(minutes).AppendValue(count).EndRow();
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (_options.RecordFollowUp)
            Exec($"INSERT INTO pending_followups VALUES ({fileId}, now())");
        // Parquet is read again by the inserts: the file must still be the one hashed.
        if (changed() is { } changedReason)
            return FileImportResult.Rejected(path, changedReason);
        PhaseTrace.Mark("load: attributes, quarantine, offsets");
        tx.Commit();
        _store.EventsChanged();
        return new FileImportResult(path, ImportStatus.Loaded, rowsRead, events, cases, quarantined, overlapping, null) { FileId = fileId };
    }

    private long Exec(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteNonQuery();
    }

    private long Count(string sql) => Convert.ToInt64(_store.Scalar(sql), CultureInfo.InvariantCulture);

    /// <summary>
    /// What staging produced: the rows as a relation (a staging table, or a file read by DuckDB) with the columns of
    /// <c>stage</c>; for a file read by DuckDB, the first scan may differ from the later ones (it records the rows the
    /// reader refused, which <see cref="CollectRejects"/> then moves to <c>stage_rejects</c>, returning their count).
    /// </summary>
    private sealed record Staged(string FirstScan, string Scan, IReadOnlyList<CaseAttributeColumn> CaseAttributes, Func<(long Records, long Swallowed)>? CollectRejects = null)
    {
        /// <summary>The UTC offsets the file's timestamps carried, where the reader saw them.</summary>
        public OffsetTally? Offsets { get; init; }

        /// <summary>The records the file holds by its own count (CSV, from the numbered copy), to check the reader against.</summary>
        public long? Records { get; init; }

        /// <summary>The scan without the check of timestamps against their text, for passes after a first that found none bad.</summary>
        public string? FastScan { get; init; }
    }

    /// <summary>A case attribute read from a column of a tabular file: its name, its column in the scan, and DuckDB's type of it.</summary>
    private sealed record CaseAttributeColumn(string Name, string Column, string SourceType);
}
