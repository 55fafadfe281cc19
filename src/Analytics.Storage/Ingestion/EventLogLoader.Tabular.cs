using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace Analytics.Storage.Ingestion;

/// <summary>CSV and Parquet are read by DuckDB's own parallel readers; this part turns a mapping into that SQL.</summary>
public sealed partial class EventLogLoader
{
    private Staged StageCsv(string path, ColumnMapping mapping, IProgress<IngestProgress>? progress, long size, CancellationToken cancellationToken)
    {
        var delimiter = mapping.Delimiter == "\\t" ? "\t" : mapping.Delimiter;
        // A numbered UTF-8 copy: DuckDB reads it in parallel and every row keeps its line.
        var numbered = Path.Combine(Path.GetTempPath(), $"analytics-{Guid.NewGuid():N}.csv");
        _cleanup.Add(numbered);
        long records, longest, lines;
        // The copy is as large as the file: the budget of temp space and the free disk are checked while it grows.
        using (var unzipped = TextInput.Open(path, _options.Limits, out var file, out var transcoded))
        {
            // A UTF-16 file (by its byte-order mark) is UTF-8 already here; otherwise the mapping names the encoding.
            var encoding = transcoded ? null : TextEncoding.Resolve(mapping.Encoding, path);
            using var text = encoding is null ? unzipped : Encoding.CreateTranscodingStream(unzipped, encoding, new UTF8Encoding(false), leaveOpen: true);
            using var output = new FileStream(numbered, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            Action? report = progress is null ? null : () => progress.Report(new IngestProgress(path, "reading", file.Position, size));
            (records, longest, lines) = NumberedCsv.Write(text, output, delimiter, mapping.Quote[0], report, cancellationToken,
                checkUtf8: encoding is null && !transcoded, maxRecordBytes: _options.Limits.MaxLineBytes,
                checkWritten: written => _options.Limits.CheckTemp(written, Path.GetTempPath()),
                // Checked at least once past the budget, so a copy never outgrows it by more than one buffer.
                checkEvery: Math.Min(64L << 20, _options.Limits.MaxTempBytes + 1));
        }
        // The columns come from the header as written: DuckDB is told them instead of sniffing, so a malformed row is
        // that row's problem (quarantined with its line) and never a failure to guess the file's dialect.
        var names = HeaderNames(numbered, delimiter, mapping.Quote[0]);
        var columns = names.ToDictionary(n => n, _ => "VARCHAR", StringComparer.Ordinal);
        // DuckDB's reader holds a few lines' worth of buffer per thread: its line bound is the file's longest record
        // (already within Analytics:MaxLineBytes), never less than its 2 MB default.
        var maxLine = Math.Max(2_000_000, longest + 1024).ToString(CultureInfo.InvariantCulture);
        var columnsSql = "{" + string.Join(", ", names.Select(n => $"{Sql.Literal(n)}: 'VARCHAR'")) + "}";
        string Reader(bool first) =>
            $"read_csv({Sql.Literal(numbered)}, delim={Sql.Literal(delimiter)}, quote={Sql.Literal(mapping.Quote)}, escape={Sql.Literal(mapping.Quote)}, " +
            $"header=true, auto_detect=false, columns={columnsSql}, null_padding=false, max_line_size={maxLine}, " +
            // Every pass stores its rejects: with ignore_errors DuckDB's parallel reader can drop every row of a file
            // with a stray quote without a word, while the first pass (which counts) read them.
            (first ? "store_rejects=true, rejects_table='csv_rejects', rejects_scan='csv_reject_scans')"
                   : "store_rejects=true, rejects_table='csv_rejects_again', rejects_scan='csv_reject_scans_again')");
        if (!columns.Remove(NumberedCsv.Column))
            throw new InvalidDataException("the file has no header line");
        var line = $"{Sql.Ident(NumberedCsv.Column)}::BIGINT";
        var (firstScan, attributes) = TabularScan(Reader(true), columns, mapping, line);
        var (scan, _) = TabularScan(Reader(false), columns, mapping, line);
        var (fastScan, _) = TabularScan(Reader(false), columns, mapping, line, checkTimestamps: false);
        return new Staged(firstScan, scan, attributes, () =>
        {
            var rejects = Exec("""
                INSERT INTO stage_rejects
                SELECT line, 'malformed row: ' || string_agg(DISTINCT error_message, '; '), any_value(csv_line)
                FROM (SELECT line, csv_line,
                             -- DuckDB counts the added line column: the user's file has one field less.
                             CASE WHEN error_message LIKE 'Expected Number of Columns:%'
                                  THEN 'expected ' || (regexp_extract(error_message, 'Columns: ([0-9]+)', 1)::INT - 1) || ' fields, found '
                                       || (regexp_extract(error_message, 'Found: ([0-9]+)', 1)::INT - 1)
                                  ELSE error_message END AS error_message
                      FROM csv_rejects)
                GROUP BY line;
                """);
            _store.Execute("DROP TABLE IF EXISTS temp.csv_rejects; DROP TABLE IF EXISTS temp.csv_reject_scans;");
            if (rejects == 0)
                return (0, 0);
            // A malformed record can swallow the lines after it (a quote that opens a field and never closes): those
            // lines count as bad too, and the reason says how far the record ran.
            Exec($"""
                CREATE OR REPLACE TEMP TABLE stage_reject_spans AS
                SELECT r.line, coalesce((SELECT min(s.line) FROM {scan} s WHERE s.line > r.line), {lines.ToString(CultureInfo.InvariantCulture)} + 1) - r.line AS spanned FROM stage_rejects r
                """);
            Exec("""
                UPDATE stage_rejects SET reason = reason || ' (the record runs over lines ' || stage_rejects.line || '–' || (stage_rejects.line + s.spanned - 1)
                    || ': a quote that opens a field and never closes?)'
                FROM stage_reject_spans s WHERE s.line = stage_rejects.line AND s.spanned > 1
                """);
            var swallowed = Convert.ToInt64(_store.Scalar("SELECT coalesce(sum(spanned - 1), 0)::BIGINT FROM stage_reject_spans"), CultureInfo.InvariantCulture);
            _store.Execute("DROP TABLE IF EXISTS temp.stage_reject_spans");
            return (rejects, swallowed);
        })
        { Offsets = columns.ContainsKey(mapping.Timestamp) ? SampleOffsets(Reader(false), mapping.Timestamp) : null, Records = records, FastScan = fastScan };
    }

    /// <summary>The column names of a CSV's header (its first record), quotes undone; a name given twice is refused.</summary>
    private static List<string> HeaderNames(string path, string delimiter, char quote)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false));
        var header = new StringBuilder();
        var inQuote = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == quote)
                inQuote = !inQuote;
            else if (!inQuote && c is '\n' or '\r')
                break;
            header.Append((char)c);
        }
        var names = new List<string>();
        var field = new StringBuilder();
        inQuote = false;
        var text = header.ToString();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == quote)
            {
                if (inQuote && i + 1 < text.Length && text[i + 1] == quote)
                {
                    field.Append(quote);
                    i++;
                }
                else
                    inQuote = !inQuote;
            }
            else if (!inQuote && string.CompareOrdinal(text, i, delimiter, 0, delimiter.Length) == 0)
            {
                names.Add(field.ToString());
                field.Clear();
                i += delimiter.Length - 1;
            }
            else
                field.Append(text[i]);
        }
        names.Add(field.ToString());
        for (var i = 0; i < names.Count; i++)
            if (names[i].Length == 0)
                names[i] = $"column{i}";
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (seen.TryGetValue(names[i], out var first))
                throw new InvalidDataException($"the header names '{names[i]}' twice (columns {first} and {i}): give each column its own name");
            seen[names[i]] = i;
        }
        return names;
    }

    /// <summary>The offsets written in the first 200,000 timestamps of a text file, per month of their local date.</summary>
    private OffsetTally SampleOffsets(string reader, string column)
    {
        var tally = new OffsetTally();
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT substr(t, 1, 7), regexp_extract(t, '(Z|z|[+-][0-9][0-9]:?[0-9][0-9])$', 1), count(*)
            FROM (SELECT trim({Sql.Ident(column)}) AS t FROM {reader} LIMIT 200000) WHERE t IS NOT NULL GROUP BY ALL
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
            if (!r.IsDBNull(0))
                tally.Add(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture));
        return tally;
    }

    private Staged StageParquet(string path, ColumnMapping mapping, IProgress<IngestProgress>? progress, long size)
    {
        progress?.Report(new IngestProgress(path, "reading", 0, size));
        var reader = $"read_parquet({Sql.Literal(path)}, file_row_number=true)";
        var columns = Describe(reader);
        columns.Remove("file_row_number");
        var (scan, attributes) = TabularScan(reader, columns, mapping, "file_row_number + 1");
        return new Staged(scan, scan, attributes) { FastScan = TabularScan(reader, columns, mapping, "file_row_number + 1", checkTimestamps: false).Scan };
    }

    /// <summary>
    /// A relation with the columns of <c>stage</c> over a DuckDB table function: columns mapped to event fields,
    /// timestamps parsed. A row's line in the file (<paramref name="lineSql"/>) is also its position (seq).
    /// </summary>
    /// <remarks>Without <c>checkTimestamps</c> the parse is not checked against its text (impossible offsets, 'epoch'): for
    /// passes over a file whose first pass found every timestamp good.</remarks>
    private static (string Scan, IReadOnlyList<CaseAttributeColumn> Attributes) TabularScan(string reader, Dictionary<string, string> columns,
        ColumnMapping mapping, string lineSql, bool checkTimestamps = true)
    {
        string Require(string column, string role) => columns.ContainsKey(column)
            ? Sql.Ident(column)
            : throw new InvalidDataException($"column '{column}' (the {role}) is not in the file; its columns are: {string.Join(", ", columns.Keys)}");
        string Optional(string? column) => column is not null && columns.ContainsKey(column) ? $"{Sql.Ident(column)}::VARCHAR" : "NULL::VARCHAR";

        // Keys and names must be plain values: a STRUCT or LIST turned into text would pass for an id.
        foreach (var (column, role) in new[] { (mapping.CaseId, "case id"), (mapping.Activity, "activity"), (mapping.Resource, "resource"), (mapping.Role, "role"), (mapping.Lifecycle, "lifecycle") })
            if (column is not null && columns.TryGetValue(column, out var type) && !IsScalar(type))
                throw new InvalidDataException($"column '{column}' (the {role}) has type {type}; map a text or number column to it");
        var caseId = Require(mapping.CaseId, "case id");
        var activity = Require(mapping.Activity, "activity");
        var timestamp = Require(mapping.Timestamp, "timestamp");
        foreach (var c in mapping.CaseAttributes)
            Require(c, "case attribute");
        var mapped = new HashSet<string>(mapping.MappedColumns().Concat(mapping.CaseAttributes), StringComparer.Ordinal);
        var eventAttributes = (mapping.EventAttributes ?? columns.Keys.Where(c => !mapped.Contains(c)).ToList())
            .Select(c => { Require(c, "event attribute"); return c; }).ToList();
        var attributesSql = eventAttributes.Count == 0
            ? "NULL::VARCHAR"
            : $"to_json(struct_pack({string.Join(", ", eventAttributes.Select(c => $"{Sql.Ident(c)} := {Sql.Ident(c)}"))}))::VARCHAR";

        var (tsSql, tsTextSql, tsCheck) = TimestampSql(timestamp, columns[mapping.Timestamp], mapping);
        if (!checkTimestamps)
            tsCheck = "ts";
        var caseAttributeSql = string.Concat(mapping.CaseAttributes.Select((c, i) => $", {Sql.Ident(c)} AS ca_{i}"));
        var caseAttributeNames = string.Concat(mapping.CaseAttributes.Select((_, i) => $", ca_{i}"));
        // Three levels so that each expression is computed once per row: the parse, then its check against the text,
        // then the text kept only where no instant came out.
        var scan = $"""
            (SELECT seq, line, case_id, activity, ts, CASE WHEN ts IS NULL THEN ts_raw END AS ts_text,
                    resource, role, lifecycle, attributes, NULL::VARCHAR AS problem {caseAttributeNames}
             FROM (
                SELECT seq, line, case_id, activity, {tsCheck} AS ts, ts_raw, resource, role, lifecycle, attributes {caseAttributeNames}
                FROM (
                    SELECT {lineSql} AS seq, {lineSql} AS line, {caseId}::VARCHAR AS case_id, {activity}::VARCHAR AS activity,
                           {tsSql} AS ts, {tsTextSql} AS ts_raw,
                           {Optional(mapping.Resource)} AS resource, {Optional(mapping.Role)} AS role, {Optional(mapping.Lifecycle)} AS lifecycle,
                           {attributesSql} AS attributes {caseAttributeSql}
                    FROM {reader})))
            """;
        return (scan, mapping.CaseAttributes.Select((c, i) => new CaseAttributeColumn(c, $"ca_{i}", columns[c])).ToList());
    }

    private static bool IsScalar(string type) =>
        type is "VARCHAR" or "BOOLEAN" or "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT" or "UHUGEINT"
            or "FLOAT" or "DOUBLE" or "UUID" || type.StartsWith("DECIMAL", StringComparison.Ordinal);

    /// <summary>
    /// The timestamp's parse (<c>ts</c>, an instant), its text (<c>ts_raw</c>), and a check over both that gives the
    /// instant or NULL where the text is no real timestamp.
    /// </summary>
    private static (string Ts, string Text, string Check) TimestampSql(string column, string type, ColumnMapping mapping)
    {
        var zone = Sql.Literal(mapping.TimeZone);
        switch (type)
        {
            case "TIMESTAMP WITH TIME ZONE":
                return (column, "NULL::VARCHAR", "ts");
            case "TIMESTAMP" or "TIMESTAMP_NS" or "TIMESTAMP_MS" or "TIMESTAMP_S":
                return ($"timezone({zone}, {column}::TIMESTAMP)", "NULL::VARCHAR", "ts");
            case "DATE":
                return ($"timezone({zone}, {column}::TIMESTAMP)", "NULL::VARCHAR", "ts");
            case "VARCHAR":
                if (mapping.TimestampFormats.Count == 0)
                    // DuckDB's cast also takes 'epoch' (1970-01-01) and offsets past ±14:00 (shifting the instant), which
                    // no real timestamp has. Checked on the parse, which costs a regular expression per row (about 0.04 µs)
                    // instead of the text functions' 0.5 µs.
                    return ($"try_cast({column} AS TIMESTAMPTZ)", column, ImpossibleOffsetOrEpoch);
                // strptime yields an instant when the pattern has an offset (%z) and a wall-clock time otherwise.
                var attempts = mapping.TimestampFormats.Select(f => f.Contains("%z", StringComparison.Ordinal) || f.Contains("%Z", StringComparison.Ordinal)
                    ? $"try_strptime(trim({column}), {Sql.Literal(f)})::TIMESTAMPTZ"
                    : $"timezone({zone}, try_strptime(trim({column}), {Sql.Literal(f)})::TIMESTAMP)");
                return ($"coalesce({string.Join(", ", attempts)})", column,
                    mapping.TimestampFormats.Any(f => f.Contains("%z", StringComparison.Ordinal)) ? ImpossibleOffsetOrEpoch : "ts");
            default:
                throw new InvalidDataException($"the timestamp column has type {type}; expected a timestamp, a date or text");
        }
    }

    /// <summary>NULL for text with an offset beyond ±14:00 (+15 … +99, with or without minutes) or a word that DuckDB reads as 1970-01-01.</summary>
    private const string ImpossibleOffsetOrEpoch = """
        CASE WHEN regexp_matches(ts_raw, ':[0-9]{2}(\.[0-9]*)?\s*[+-](1[5-9]|[2-9][0-9]):?[0-9]*\s*$') THEN NULL
             WHEN ts = TIMESTAMPTZ '1970-01-01 00:00:00+00' AND NOT (ascii(ltrim(ts_raw)) BETWEEN 48 AND 57) THEN NULL
             ELSE ts END
        """;

    /// <summary>
    /// The type of each case attribute: from the column's type, or for text by the values stored (each case's first):
    /// number, boolean or timestamp when every one parses as such, else string.
    /// </summary>
    private List<string> CaseAttributeTypes(IReadOnlyList<CaseAttributeColumn> attributes)
    {
        var types = attributes.Select(a => a.SourceType switch
        {
            "BOOLEAN" => "boolean",
            "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT"
                or "FLOAT" or "DOUBLE" => "number",
            _ when a.SourceType.StartsWith("DECIMAL", StringComparison.Ordinal) => "number",
            _ when a.SourceType.StartsWith("TIMESTAMP", StringComparison.Ordinal) || a.SourceType == "DATE" => "timestamp",
            _ => "string",
        }).ToList();
        var text = Enumerable.Range(0, attributes.Count).Where(i => attributes[i].SourceType == "VARCHAR").ToList();
        if (text.Count == 0)
            return types;
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT " + string.Join(", ", text.Select(i =>
            $"count(a_{i}) = count(try_cast(a_{i} AS DOUBLE)), count(a_{i}) = count(try_cast(a_{i} AS BOOLEAN)), count(a_{i}) = count(try_cast(a_{i} AS TIMESTAMPTZ))")) +
            " FROM stage_keys WHERE case_id IS NOT NULL";
        using var r = cmd.ExecuteReader();
        r.Read();
        for (var k = 0; k < text.Count; k++)
            types[text[k]] = r.GetBoolean(3 * k) ? "number" : r.GetBoolean(3 * k + 1) ? "boolean" : r.GetBoolean(3 * k + 2) ? "timestamp" : "string";
        return types;
    }

    /// <summary>Stores each case's first value of every case attribute, where the case does not have that attribute yet.</summary>
    /// <returns>The values left out (not finite), each recorded in the quarantine.</returns>
    private long StoreCaseAttributes(IReadOnlyList<CaseAttributeColumn> attributes, List<string> types, int fileId)
    {
        if (attributes.Count == 0)
            return 0;
        var selects = attributes.Select((attribute, i) =>
        {
            var a = $"k.a_{i}";
            var value = types[i] switch
            {
                "number" => $"NULL, {a}::DOUBLE, NULL, NULL",
                "boolean" => $"NULL, NULL, {a}::BOOLEAN, NULL",
                "timestamp" => $"NULL, NULL, NULL, {a}::TIMESTAMPTZ",
                _ => $"{a}::VARCHAR, NULL, NULL, NULL",
            };
            var key = Sql.Literal(attribute.Name);
            // A number that is not finite (NaN, ±infinity, 1e400) is no value of a case: it is not stored (see Quarantine).
            var finite = types[i] == "number" ? $" AND isfinite({a}::DOUBLE)" : "";
            return $"""
                SELECT k.case_id, {key}, '{types[i]}', {value}, {fileId} FROM stage_keys k
                ANTI JOIN (SELECT case_id FROM case_attributes WHERE key = {key} AND case_id IN (SELECT case_id FROM touched)) c ON c.case_id = k.case_id
                WHERE {a} IS NOT NULL AND k.case_id IS NOT NULL{finite}
                """;
        });
        Exec("INSERT INTO case_attributes " + string.Join("\nUNION ALL\n", selects));
        // What was left out is recorded with the line of the case's first row, so nothing goes without a word.
        long left = 0;
        foreach (var (attribute, i) in attributes.Select((attribute, i) => (attribute, i)).Where(x => types[x.i] == "number"))
            left += Exec($"""
                INSERT INTO quarantine
                SELECT {fileId}, first_seq, 'non-finite number in case attribute ' || {Sql.Literal(attribute.Name)} || ' (not stored): ' || a_{i}::VARCHAR, case_id, NULL, NULL, NULL
                FROM stage_keys WHERE a_{i} IS NOT NULL AND NOT isfinite(try_cast(a_{i} AS DOUBLE))
                """);
        return left;
    }

    private Dictionary<string, string> Describe(string reader)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"DESCRIBE SELECT * FROM {reader}";
        using var r = cmd.ExecuteReader();
        while (r.Read())
            columns[r.GetString(0)] = r.GetString(1);
        return columns;
    }
}
