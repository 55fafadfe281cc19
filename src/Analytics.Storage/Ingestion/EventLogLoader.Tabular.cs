using System.Globalization;
using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;

namespace Analytics.Storage.Ingestion;

/// <summary>CSV and Parquet are read by DuckDB's own parallel readers; this part turns a mapping into that SQL.</summary>
public sealed partial class EventLogLoader
{
    private Staged StageCsv(string path, ColumnMapping mapping, IProgress<IngestProgress>? progress, long size, CancellationToken cancellationToken)
    {
        var encoding = TextEncoding.Resolve(mapping.Encoding, path);
        string? transcoded = null;
        try
        {
            var source = path;
            if (encoding is not null)
            {
                progress?.Report(new IngestProgress(path, "converting to UTF-8", 0, size));
                transcoded = Path.Combine(Path.GetTempPath(), $"analytics-{Guid.NewGuid():N}.csv");
                Transcode(path, encoding, transcoded, cancellationToken);
                source = transcoded;
            }
            progress?.Report(new IngestProgress(path, "reading", 0, size));
            var delimiter = mapping.Delimiter == "\\t" ? "\t" : mapping.Delimiter;
            var reader = $"read_csv({Sql.Literal(source)}, delim={Sql.Literal(delimiter)}, quote={Sql.Literal(mapping.Quote)}, escape={Sql.Literal(mapping.Quote)}, " +
                         "header=true, all_varchar=true, null_padding=false, store_rejects=true, " +
                         "rejects_table='csv_rejects', rejects_scan='csv_reject_scans')";
            var columns = Describe(reader);
            var rows = StageTabular(path, reader, columns, mapping, "row_number() OVER ()", "NULL::BIGINT", cancellationToken);
            _store.Execute("""
                INSERT INTO stage_rejects SELECT line, 'malformed row: ' || string_agg(DISTINCT error_message, '; '), any_value(csv_line) FROM csv_rejects GROUP BY line;
                """);
            var rejects = new List<long>();
            using (var cmd = Connection.CreateCommand())
            {
                cmd.CommandText = "SELECT line FROM stage_rejects ORDER BY line";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    rejects.Add(r.GetInt64(0));
            }
            return new Staged(rows, rejects, LinesKnown: false);
        }
        finally
        {
            _store.Execute("DROP TABLE IF EXISTS temp.csv_rejects; DROP TABLE IF EXISTS temp.csv_reject_scans;");
            if (transcoded is not null)
                File.Delete(transcoded);
        }
    }

    private Staged StageParquet(string path, ColumnMapping mapping, IProgress<IngestProgress>? progress, long size, CancellationToken cancellationToken)
    {
        progress?.Report(new IngestProgress(path, "reading", 0, size));
        var reader = $"read_parquet({Sql.Literal(path)}, file_row_number=true)";
        var columns = Describe(reader);
        columns.Remove("file_row_number");
        var rows = StageTabular(path, reader, columns, mapping, "file_row_number + 1", "file_row_number + 1", cancellationToken);
        return new Staged(rows, [], LinesKnown: true);
    }

    /// <summary>Creates the stage from a DuckDB table function, mapping columns to event fields and parsing timestamps.</summary>
    private long StageTabular(string path, string reader, Dictionary<string, string> columns, ColumnMapping mapping,
        string seqSql, string lineSql, CancellationToken cancellationToken)
    {
        string Require(string column, string role) => columns.ContainsKey(column)
            ? Sql.Ident(column)
            : throw new InvalidDataException($"column '{column}' (the {role}) is not in the file; its columns are: {string.Join(", ", columns.Keys)}");
        string Optional(string? column) => column is not null && columns.ContainsKey(column) ? $"{Sql.Ident(column)}::VARCHAR" : "NULL::VARCHAR";

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

        var (tsSql, tsTextSql) = TimestampSql(timestamp, columns[mapping.Timestamp], mapping);
        var caseAttributeSql = string.Concat(mapping.CaseAttributes.Select((c, i) => $", {Sql.Ident(c)} AS ca_{i}"));
        cancellationToken.ThrowIfCancellationRequested();
        _store.Execute($"SET TimeZone = {Sql.Literal(mapping.TimeZone)}");
        try
        {
            _store.Execute($"""
                DROP TABLE IF EXISTS temp.stage;
                CREATE TEMP TABLE stage AS
                SELECT seq, line, case_id, activity, ts, CASE WHEN ts IS NULL THEN ts_raw END AS ts_text,
                       resource, role, lifecycle, attributes, NULL::VARCHAR AS problem {string.Concat(mapping.CaseAttributes.Select((_, i) => $", ca_{i}"))}
                FROM (
                    SELECT {seqSql} AS seq, {lineSql} AS line, {caseId}::VARCHAR AS case_id, {activity}::VARCHAR AS activity,
                           {tsSql} AS ts, {tsTextSql} AS ts_raw,
                           {Optional(mapping.Resource)} AS resource, {Optional(mapping.Role)} AS role, {Optional(mapping.Lifecycle)} AS lifecycle,
                           {attributesSql} AS attributes {caseAttributeSql}
                    FROM {reader});
                """);
        }
        finally
        {
            _store.Execute("SET TimeZone = 'UTC'");
        }
        for (var i = 0; i < mapping.CaseAttributes.Count; i++)
            StageCaseAttribute(mapping.CaseAttributes[i], $"ca_{i}", columns[mapping.CaseAttributes[i]]);
        return Count("SELECT count(*) FROM stage");
    }

    private static (string Ts, string Text) TimestampSql(string column, string type, ColumnMapping mapping)
    {
        var zone = Sql.Literal(mapping.TimeZone);
        switch (type)
        {
            case "TIMESTAMP WITH TIME ZONE":
                return (column, "NULL::VARCHAR");
            case "TIMESTAMP" or "TIMESTAMP_NS" or "TIMESTAMP_MS" or "TIMESTAMP_S":
                return ($"timezone({zone}, {column}::TIMESTAMP)", "NULL::VARCHAR");
            case "DATE":
                return ($"timezone({zone}, {column}::TIMESTAMP)", "NULL::VARCHAR");
            case "VARCHAR":
                if (mapping.TimestampFormats.Count == 0)
                    return ($"try_cast(trim({column}) AS TIMESTAMPTZ)", column);
                // strptime yields an instant when the pattern has an offset (%z) and a wall-clock time otherwise.
                var attempts = mapping.TimestampFormats.Select(f => f.Contains("%z", StringComparison.Ordinal) || f.Contains("%Z", StringComparison.Ordinal)
                    ? $"try_strptime(trim({column}), {Sql.Literal(f)})::TIMESTAMPTZ"
                    : $"timezone({zone}, try_strptime(trim({column}), {Sql.Literal(f)})::TIMESTAMP)");
                return ($"coalesce({string.Join(", ", attempts)})", column);
            default:
                throw new InvalidDataException($"the timestamp column has type {type}; expected a timestamp, a date or text");
        }
    }

    private void StageCaseAttribute(string name, string column, string sourceType)
    {
        string type;
        if (sourceType == "VARCHAR")
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = $"""
                SELECT count({column}), count(try_cast({column} AS DOUBLE)), count(try_cast({column} AS BOOLEAN)),
                       count(try_cast({column} AS TIMESTAMPTZ)) FROM stage
                """;
            using var r = cmd.ExecuteReader();
            r.Read();
            var n = r.GetInt64(0);
            type = r.GetInt64(1) == n ? "number" : r.GetInt64(2) == n ? "boolean" : r.GetInt64(3) == n ? "timestamp" : "string";
        }
        else
        {
            type = sourceType switch
            {
                "BOOLEAN" => "boolean",
                "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT"
                    or "FLOAT" or "DOUBLE" => "number",
                _ when sourceType.StartsWith("DECIMAL", StringComparison.Ordinal) => "number",
                _ when sourceType.StartsWith("TIMESTAMP", StringComparison.Ordinal) || sourceType == "DATE" => "timestamp",
                _ => "string",
            };
        }
        var value = type switch
        {
            "number" => $"NULL, {column}::DOUBLE, NULL, NULL",
            "boolean" => $"NULL, NULL, {column}::BOOLEAN, NULL",
            "timestamp" => $"NULL, NULL, NULL, {column}::TIMESTAMPTZ",
            _ => $"{column}::VARCHAR, NULL, NULL, NULL",
        };
        _store.Execute($"""
            INSERT INTO stage_case_attributes
            SELECT case_id, {Sql.Literal(name)}, '{type}', {value}, seq FROM stage WHERE {column} IS NOT NULL AND case_id IS NOT NULL
            """);
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

    private static void Transcode(string path, Encoding encoding, string target, CancellationToken cancellationToken)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var gz = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        using Stream input = gz ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(input, encoding, detectEncodingFromByteOrderMarks: false);
        using var writer = new StreamWriter(target, false, new UTF8Encoding(false));
        var buffer = new char[1 << 16];
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            writer.Write(buffer, 0, n);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }




}
