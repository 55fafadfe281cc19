using System.IO.Compression;
using System.Text;
using Analytics.Storage.Ingestion;
using DuckDB.NET.Data;

namespace Analytics.Reliability.Tests;

/// <summary>What loading an input must come to.</summary>
internal enum Outcome
{
    /// <summary>Loaded whole: every event stored, nothing quarantined.</summary>
    Loaded,

    /// <summary>Loaded, with the bad rows or traces quarantined with their reason.</summary>
    Quarantined,

    /// <summary>Refused as a whole with its reason; nothing of it stored.</summary>
    Refused,
}

/// <summary>One broken, hostile or edge-case input and what must become of it.</summary>
/// <param name="Name">The input's name (also its file name, with the extension that names its format).</param>
/// <param name="Class">The class of input it stands for, as docs/reliability.md lists them.</param>
/// <param name="Expected">The outcome.</param>
/// <param name="Events">Events stored when it loads.</param>
/// <param name="Quarantined">Rows or traces quarantined when it loads.</param>
/// <param name="Reason">Words the refusal or the quarantine reasons must contain (case-insensitive), each of them.</param>
internal sealed record HostileInput(string Name, string Class, Outcome Expected, long Events, long Quarantined, string[] Reason)
{
    /// <summary>Writes the input into a folder and returns the path to load.</summary>
    public required Func<string, string> Write { get; init; }

    /// <summary>The column mapping, for tabular inputs that need one.</summary>
    public ColumnMapping? Mapping { get; init; }

    /// <summary>Limits other than the defaults (small ones, so an oversized element needs no gigabyte).</summary>
    public IngestLimits? Limits { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// The fuzz and fault corpus: every input is generated here, byte for byte, from a few valid logs and one damage
/// each (no binaries are committed). <see cref="All"/> lists them with their expected outcome; <see cref="WriteAll"/>
/// writes them to a folder, e.g. to try them on another build.
/// </summary>
internal static class HostileCorpus
{
    private static readonly string[] Activities = ["Filing submitted", "Price desk approved", "Finance approved"];

    /// <summary>The inputs by name.</summary>
    public static IReadOnlyDictionary<string, HostileInput> ByName { get; } = Build().ToDictionary(i => i.Name, StringComparer.Ordinal);

    /// <summary>The inputs.</summary>
    public static IEnumerable<HostileInput> All => ByName.Values;

    /// <summary>Names for a theory.</summary>
    public static TheoryData<string> Names(params Outcome[] outcomes)
    {
        var data = new TheoryData<string>();
        foreach (var i in All.Where(i => outcomes.Length == 0 || outcomes.Contains(i.Expected)))
            data.Add(i.Name);
        return data;
    }

    /// <summary>Writes every input into a folder; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(string folder) => All.Select(i => i.Write(folder)).ToList();

    private static IEnumerable<HostileInput> Build()
    {
        // ---- XES ----
        yield return Text("xes-valid.xes", "XES, valid", Outcome.Loaded, 9, 0, [], Xes(3));
        yield return Bytes("xes-utf16le-bom.xes", "XES, UTF-16 with a byte-order mark", Outcome.Loaded, 9, 0, [],
            [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Xes(3).Replace("UTF-8", "UTF-16", StringComparison.Ordinal))]);
        yield return Bytes("xes-utf16be-bom.xes", "XES, UTF-16 with a byte-order mark", Outcome.Loaded, 9, 0, [],
            [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Xes(3).Replace("UTF-8", "UTF-16", StringComparison.Ordinal))]);
        yield return Text("xes-mismatched-end-tag.xes", "XES, not well-formed", Outcome.Refused, 0, 0, ["line", "</evnt>"],
            ReplaceOnce(Xes(3), "</event>", "</evnt>"));
        yield return Text("xes-raw-lt-in-value.xes", "XES, not well-formed", Outcome.Refused, 0, 0, ["line", "<"],
            ReplaceOnce(Xes(3), "value=\"Finance approved\"", "value=\"Finance <b>approved\""));
        yield return Text("xes-second-root.xes", "XES, not well-formed", Outcome.Refused, 0, 0, ["line", "root"], Xes(3) + "<log></log>\n");
        yield return Text("xes-nul-byte.xes", "XES, NUL byte", Outcome.Refused, 0, 0, ["line", "NUL"],
            ReplaceOnce(Xes(3), "Finance approved", "Finance\0approved"));
        yield return Bytes("xes-invalid-utf8.xes", "XES, invalid UTF-8", Outcome.Refused, 0, 0, ["line", "UTF-8"],
            ReplaceBytes(Encoding.UTF8.GetBytes(Xes(3)), "Finance approved"u8.ToArray(), [.. "Finance "u8, 0xFF, 0xFE, .. "approved"u8]));
        yield return Text("xes-control-char-ref.xes", "XES, not well-formed", Outcome.Refused, 0, 0, ["line", "&#1;"],
            ReplaceOnce(Xes(3), "Finance approved", "Finance &#1; approved"));
        yield return Text("xes-truncated.xes", "XES, truncated", Outcome.Refused, 0, 0, ["end"], Xes(3)[..(Xes(3).Length * 2 / 3)]);
        yield return Text("xes-external-entity.xes", "XES, DTD and entities (XXE)", Outcome.Refused, 0, 0, ["entity", "&x;"],
            Xes(3).Replace("<log>", "<!DOCTYPE log [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<log>", StringComparison.Ordinal)
                .Replace("value=\"Finance approved\"", "value=\"&x;\"", StringComparison.Ordinal));
        yield return Text("xes-entity-expansion.xes", "XES, DTD and entities (XXE)", Outcome.Refused, 0, 0, ["entity", "&c;"],
            Xes(3).Replace("<log>", "<!DOCTYPE log [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<log>", StringComparison.Ordinal)
                .Replace("value=\"Finance approved\"", "value=\"&c;\"", StringComparison.Ordinal));
        yield return new HostileInput("xes-attribute-over-limit.xes", "XES, an attribute longer than the limit", Outcome.Refused, 0, 0, ["MaxElementBytes"])
        {
            Write = folder => WriteText(folder, "xes-attribute-over-limit.xes", ReplaceOnce(Xes(3), "Finance approved", new string('a', 3 << 20))),
            Limits = new IngestLimits { MaxElementBytes = 1 << 20 },
        };
        // 1 GiB of one attribute inside a gzip of about a megabyte: refused while reading, never buffered.
        yield return new HostileInput("xes-gigabyte-attribute.xes.gz", "XES, an attribute longer than the limit, inside gzip", Outcome.Refused, 0, 0, ["Max"])
        {
            Write = folder => WriteGzipStreamed(folder, "xes-gigabyte-attribute.xes.gz",
                Encoding.UTF8.GetBytes(Xes(1).Split("Finance approved")[0]), "a"u8.ToArray(), 1L << 30, Encoding.UTF8.GetBytes("\"/></event></trace></log>\n")),
        };
        yield return Text("xes-nan-case-attribute.xes", "XES, non-finite attribute", Outcome.Quarantined, 117, 3, ["amount", "finite"],
            ReplaceOnce(Xes(40), "<string key=\"concept:name\" value=\"case-2\"/>", "<string key=\"concept:name\" value=\"case-2\"/><float key=\"amount\" value=\"NaN\"/>"));
        yield return Text("xes-offset-25h.xes", "XES, impossible time offset", Outcome.Quarantined, 119, 1, ["offset"],
            ReplaceOnce(Xes(40), "+08:00", "+25:00"));
        yield return Bytes("xes-multi-member.xes.gz", "gzip, several members (bgzip, pigz, cat a.gz b.gz)", Outcome.Loaded, 9, 0, [],
            MultiMemberGzip(Encoding.UTF8.GetBytes(Xes(3))));
        yield return Bytes("xes-truncated.xes.gz", "gzip, truncated", Outcome.Refused, 0, 0, ["gzip"], Gzip(Encoding.UTF8.GetBytes(Xes(3)))[..^20]);
        yield return Bytes("xes-bad-crc.xes.gz", "gzip, corrupt", Outcome.Refused, 0, 0, ["gzip"], FlipCrc(Gzip(Encoding.UTF8.GetBytes(Xes(3)))));
        yield return Text("xes-empty.xes", "empty file", Outcome.Refused, 0, 0, ["empty"], "");
        yield return Text("xes-no-traces.xes", "no events", Outcome.Refused, 0, 0, ["no events"], "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log></log>\n");

        // ---- JSON Lines ----
        yield return Text("jsonl-valid.jsonl", "JSON Lines, valid", Outcome.Loaded, 9, 0, [], Jsonl(3));
        yield return new HostileInput("jsonl-line-over-limit.jsonl", "JSON Lines, a line longer than the limit", Outcome.Refused, 0, 0, ["MaxLineBytes", "line 2"])
        {
            Write = folder => WriteText(folder, "jsonl-line-over-limit.jsonl", ReplaceOnce(Jsonl(3), "Price desk approved", new string('p', 3 << 20))),
            Limits = new IngestLimits { MaxLineBytes = 1 << 20 },
        };
        yield return new HostileInput("jsonl-gigabyte-line.jsonl.gz", "JSON Lines, a line longer than the limit, inside gzip", Outcome.Refused, 0, 0, ["Max"])
        {
            Write = folder => WriteGzipStreamed(folder, "jsonl-gigabyte-line.jsonl.gz",
                Encoding.UTF8.GetBytes("{\"case_id\":\"c\",\"activity\":\""), "a"u8.ToArray(), 1L << 30, Encoding.UTF8.GetBytes("\",\"timestamp\":\"2025-03-03T09:00:00Z\"}\n")),
        };
        yield return Text("jsonl-empty.jsonl", "empty file", Outcome.Refused, 0, 0, ["empty"], "");
        yield return Text("jsonl-blank-lines.jsonl", "empty file", Outcome.Refused, 0, 0, ["no event"], "\n\n  \n");
        yield return Text("jsonl-nul-in-line.jsonl", "JSON Lines, NUL byte", Outcome.Quarantined, 119, 1, ["NUL", "line 3"], ReplaceOnce(Jsonl(40), "Finance approved", "Finance\0approved"));
        yield return Text("jsonl-nan-literal.jsonl", "JSON Lines, not JSON", Outcome.Quarantined, 119, 1, ["line 1"],
            ReplaceOnce(Jsonl(40), "\"amount\":100", "\"amount\":NaN"));
        yield return Text("jsonl-huge-number.jsonl", "JSON Lines, non-finite attribute", Outcome.Quarantined, 119, 1, ["amount", "finite", "line 1"],
            ReplaceOnce(Jsonl(40), "\"amount\":100", "\"amount\":1e400"));
        yield return Text("jsonl-broken-line.jsonl", "JSON Lines, not JSON", Outcome.Quarantined, 119, 1, ["line 1"], ReplaceOnce(Jsonl(40), "100}", "100"));

        // ---- CSV ----
        yield return Text("csv-valid.csv", "CSV, valid", Outcome.Loaded, 9, 0, [], Csv(3));
        yield return Text("csv-duplicate-header.csv", "CSV, duplicate header", Outcome.Refused, 0, 0, ["case_id", "twice"],
            Csv(3).Replace("case_id,activity,timestamp,resource,amount", "case_id,activity,timestamp,case_id,amount", StringComparison.Ordinal));
        yield return Bytes("csv-latin1.csv", "CSV, another encoding without a mapping", Outcome.Refused, 0, 0, ["encoding", "latin1"],
            Encoding.Latin1.GetBytes(Csv(3).Replace("rep-1", "rép-1", StringComparison.Ordinal)));
        yield return new HostileInput("csv-latin1-mapped.csv", "CSV, another encoding named by the mapping", Outcome.Loaded, 9, 0, [])
        {
            Write = folder => WriteBytes(folder, "csv-latin1-mapped.csv", Encoding.Latin1.GetBytes(Csv(3).Replace("rep-1", "rép-1", StringComparison.Ordinal))),
            Mapping = new ColumnMapping { Encoding = "latin1" },
        };
        yield return Bytes("csv-utf16le-bom.csv", "CSV, UTF-16 with a byte-order mark", Outcome.Loaded, 9, 0, [],
            [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Csv(3))]);
        // A quote that opens a field on one line and closes on the next: one malformed record over two lines.
        yield return Text("csv-stray-quotes.csv", "CSV, stray quotes", Outcome.Quarantined, 398, 1, ["quote", "106–107"],
            ReplaceOnce(ReplaceOnce(Csv(100, activities: 4), "case-5,Price desk approved,", "case-5,\"Price desk approved,"),
                "case-6,Price desk approved,2025-03-04T09:06:00+08:00,rep-1", "case-6,Price desk approved,2025-03-04T09:06:00+08:00,rep\"-1"));
        // A quote that opens a field and never closes swallows the rest of the file.
        yield return Text("csv-unclosed-quote.csv", "CSV, stray quotes", Outcome.Refused, 0, 0, ["quote", "296 of 400", "106–401"],
            ReplaceOnce(Csv(100, activities: 4), "case-5,Price desk approved,", "case-5,\"Price desk approved,"));
        yield return Text("csv-epoch-timestamp.csv", "CSV, impossible timestamp", Outcome.Quarantined, 399, 1, ["timestamp"],
            ReplaceOnce(Csv(100, activities: 4), "2025-03-03T09:01:00+08:00", "1741000000"));
        yield return Text("csv-offset-25h.csv", "CSV, impossible time offset", Outcome.Quarantined, 399, 1, ["offset"],
            ReplaceOnce(Csv(100, activities: 4), "2025-03-03T09:01:00+08:00", "2025-03-03T09:01:00+25:00"));
        yield return new HostileInput("csv-non-finite-attribute.csv", "CSV, non-finite attribute", Outcome.Quarantined, 400, 3, ["amount", "finite"])
        {
            Write = folder => WriteText(folder, "csv-non-finite-attribute.csv", ReplaceOnce(ReplaceOnce(ReplaceOnce(Csv(100, activities: 4),
                "case-2,Filing submitted,2025-03-03T09:02:00+08:00,rep-1,100", "case-2,Filing submitted,2025-03-03T09:02:00+08:00,rep-1,NaN"),
                "case-3,Filing submitted,2025-03-03T09:03:00+08:00,rep-1,100", "case-3,Filing submitted,2025-03-03T09:03:00+08:00,rep-1,Infinity"),
                "case-4,Filing submitted,2025-03-03T09:04:00+08:00,rep-1,100", "case-4,Filing submitted,2025-03-03T09:04:00+08:00,rep-1,1e400")),
            Mapping = new ColumnMapping { CaseAttributes = ["amount"] },
        };
        // 163 rows without a case id among 500: over the bad-row limit, and the summary names the reason once.
        yield return Text("csv-missing-case-ids.csv", "CSV, too many bad rows", Outcome.Refused, 0, 0, ["missing case id (163"], MissingCaseIds(500, 163));
        yield return Text("csv-nul-byte.csv", "CSV, NUL byte", Outcome.Refused, 0, 0, ["NUL", "line"], ReplaceOnce(Csv(3), "Finance approved", "Finance\0approved"));
        yield return Text("csv-header-only.csv", "no events", Outcome.Refused, 0, 0, ["no events"], "case_id,activity,timestamp\n");
        yield return Text("csv-empty.csv", "empty file", Outcome.Refused, 0, 0, ["empty"], "");
        yield return Text("csv-wrong-delimiter.csv", "CSV, columns not as mapped", Outcome.Refused, 0, 0, ["case_id", "not in the file"], Csv(3).Replace(',', ';'));
        yield return new HostileInput("csv-zeros-bomb.csv.gz", "gzip, a bomb (decompression ratio)", Outcome.Refused, 0, 0, ["MaxCompressionRatio"])
        {
            Write = folder => WriteGzipStreamed(folder, "csv-zeros-bomb.csv.gz", Encoding.UTF8.GetBytes("case_id,activity,timestamp\n"), "0,0,0\n"u8.ToArray(), 1L << 30, []),
        };
        // A temporary copy larger than the temp-space budget (a small budget, so the copy needs no gigabytes).
        yield return new HostileInput("csv-over-temp-budget.csv", "CSV, its copy over the temp-space budget", Outcome.Refused, 0, 0, ["MaxTempBytes", "temporary copy"])
        {
            Write = folder => WriteText(folder, "csv-over-temp-budget.csv", Csv(4000)),
            Limits = new IngestLimits { MaxTempBytes = 64 << 10 },
        };
        // A record with no line break for longer than the limit.
        yield return new HostileInput("csv-endless-record.csv.gz", "CSV, a record longer than the limit, inside gzip", Outcome.Refused, 0, 0, ["MaxLineBytes", "line 2"])
        {
            Write = folder => WriteGzipStreamed(folder, "csv-endless-record.csv.gz", Encoding.UTF8.GetBytes("case_id,activity,timestamp\n"), "0"u8.ToArray(), 8L << 20, []),
            Limits = new IngestLimits { MaxLineBytes = 1 << 20 },
        };

        // ---- Parquet ----
        yield return Parquet("parquet-valid.parquet", "Parquet, valid", Outcome.Loaded, 9, 0, [], "'case-' || (i // 3)");
        yield return Parquet("parquet-struct-case-id.parquet", "Parquet, a case id that is not a scalar", Outcome.Refused, 0, 0, ["case_id", "STRUCT"], "{'id': i // 3}");
        yield return Parquet("parquet-list-case-id.parquet", "Parquet, a case id that is not a scalar", Outcome.Refused, 0, 0, ["case_id", "[]"], "[i // 3]");
        yield return Text("parquet-not-parquet.parquet", "a file that is not its format", Outcome.Refused, 0, 0, ["not a Parquet file"], Csv(3));

        // ---- Files that are not files ----
        yield return new HostileInput("file-a-folder.csv", "not a regular file", Outcome.Refused, 0, 0, ["folder"])
        {
            Write = folder => Directory.CreateDirectory(Path.Combine(folder, "file-a-folder.csv")).FullName,
        };
        yield return new HostileInput("file-a-fifo.csv", "not a regular file (endless input)", Outcome.Refused, 0, 0, ["not a regular file"])
        {
            Write = folder => MakeFifo(Path.Combine(folder, "file-a-fifo.csv")),
        };
        yield return new HostileInput("file-link-to-dev-zero.xes", "not a regular file (endless input)", Outcome.Refused, 0, 0, ["not a regular file"])
        {
            Write = folder => File.CreateSymbolicLink(Path.Combine(folder, "file-link-to-dev-zero.xes"), "/dev/zero").FullName,
        };
        yield return new HostileInput("file-missing.csv", "a missing file", Outcome.Refused, 0, 0, ["no such file"])
        {
            Write = folder => Path.Combine(folder, "file-missing.csv"),
        };
        yield return Text("file-unknown-format.log", "an unknown format", Outcome.Refused, 0, 0, ["'.log'"], Csv(3));
    }

    // ---- valid logs: n cases of three (or four) events each, one event a minute, in +08:00 ----

    /// <summary>An XES log of <paramref name="cases"/> traces of three events each.</summary>
    public static string Xes(int cases)
    {
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log>\n");
        for (var c = 1; c <= cases; c++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  <trace>\n    <string key=\"concept:name\" value=\"case-{c}\"/>\n");
            for (var a = 0; a < Activities.Length; a++)
                sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"    <event>\n      <string key=\"concept:name\" value=\"{Activities[a]}\"/>\n      <date key=\"time:timestamp\" value=\"2025-03-0{3 + a}T09:{c % 60:00}:00.000+08:00\"/>\n    </event>\n");
            sb.Append("  </trace>\n");
        }
        return sb.Append("</log>\n").ToString();
    }

    /// <summary>A JSON Lines log, one event a line.</summary>
    public static string Jsonl(int cases)
    {
        var sb = new StringBuilder();
        for (var c = 1; c <= cases; c++)
            for (var a = 0; a < Activities.Length; a++)
                sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"{{\"case_id\":\"case-{c}\",\"activity\":\"{Activities[a]}\",\"timestamp\":\"2025-03-0{3 + a}T09:{c % 60:00}:00+08:00\",\"amount\":100}}\n");
        return sb.ToString();
    }

    /// <summary>A CSV log (case_id, activity, timestamp, resource, amount).</summary>
    public static string Csv(int cases, int activities = 3, string prefix = "case-")
    {
        var names = activities == 4 ? ["Filing submitted", "Price desk approved", "Regional manager approved", "Finance approved"] : Activities;
        var sb = new StringBuilder("case_id,activity,timestamp,resource,amount\n");
        for (var a = 0; a < names.Length; a++)
            for (var c = 1; c <= cases; c++)
                sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"{prefix}{c},{names[a]},2025-03-{3 + a:00}T09:{c % 60:00}:00+08:00,rep-1,100\n");
        return sb.ToString();
    }

    private static string MissingCaseIds(int rows, int missing)
    {
        var sb = new StringBuilder("case_id,activity,timestamp\n");
        for (var i = 0; i < rows; i++)
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{(i < missing ? "" : $"case-{i}")},Filing submitted,2025-03-03T09:00:00Z\n");
        return sb.ToString();
    }

    // ---- writers ----

    private static HostileInput Text(string name, string cls, Outcome outcome, long events, long quarantined, string[] reason, string text) =>
        new(name, cls, outcome, events, quarantined, reason) { Write = folder => WriteText(folder, name, text) };

    private static HostileInput Bytes(string name, string cls, Outcome outcome, long events, long quarantined, string[] reason, byte[] bytes) =>
        new(name, cls, outcome, events, quarantined, reason) { Write = folder => WriteBytes(folder, name, bytes) };

    private static HostileInput Parquet(string name, string cls, Outcome outcome, long events, long quarantined, string[] reason, string caseIdSql) =>
        new(name, cls, outcome, events, quarantined, reason)
        {
            Write = folder =>
            {
                var path = Path.Combine(folder, name);
                using var connection = new DuckDBConnection("DataSource=:memory:");
                connection.Open();
                using var cmd = connection.CreateCommand();
                cmd.CommandText = $"""
                    COPY (SELECT {caseIdSql} AS case_id, ['Filing submitted', 'Price desk approved', 'Finance approved'][i % 3 + 1] AS activity,
                                 TIMESTAMPTZ '2025-03-03 01:00:00+00' + to_minutes(i) AS timestamp
                          FROM range(9) t(i)) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)
                    """;
                cmd.ExecuteNonQuery();
                return path;
            },
        };

    private static string WriteText(string folder, string name, string text) => WriteBytes(folder, name, Encoding.UTF8.GetBytes(text));

    private static string WriteBytes(string folder, string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A gzip of head, then a pattern repeated to <paramref name="count"/> bytes, then tail, written without holding it in memory.</summary>
    private static string WriteGzipStreamed(string folder, string name, byte[] head, byte[] pattern, long count, byte[] tail)
    {
        var path = Path.Combine(folder, name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write(head);
            var block = new byte[(1 << 20) / pattern.Length * pattern.Length];
            for (var i = 0; i < block.Length; i++)
                block[i] = pattern[i % pattern.Length];
            for (var left = count; left > 0; left -= block.Length)
                gzip.Write(block, 0, (int)Math.Min(block.Length, left));
            gzip.Write(tail);
        }
        return path;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>The data in three gzip members, one after the other, as bgzip, pigz or <c>cat a.gz b.gz</c> write it.</summary>
    private static byte[] MultiMemberGzip(byte[] data)
    {
        var third = data.Length / 3;
        return [.. Gzip(data[..third]), .. Gzip(data[third..(2 * third)]), .. Gzip(data[(2 * third)..])];
    }

    private static byte[] FlipCrc(byte[] gzip)
    {
        var copy = (byte[])gzip.Clone();
        copy[^8] ^= 0xFF; // the first byte of the CRC-32 trailer
        return copy;
    }

    private static string ReplaceOnce(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        if (at < 0)
            throw new ArgumentException($"'{what}' is not in the text", nameof(what));
        return string.Concat(text.AsSpan(0, at), with, text.AsSpan(at + what.Length));
    }

    private static byte[] ReplaceBytes(byte[] data, byte[] what, byte[] with)
    {
        var at = data.AsSpan().IndexOf(what);
        if (at < 0)
            throw new ArgumentException("the bytes are not in the data", nameof(what));
        return [.. data[..at], .. with, .. data[(at + what.Length)..]];
    }

    private static string MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0)
            throw new InvalidOperationException("mkfifo failed");
        return path;
    }
}
