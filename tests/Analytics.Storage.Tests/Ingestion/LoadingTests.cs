using System.IO.Compression;
using System.Text;
using Analytics.Storage.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Ingestion;

public sealed class LoadingTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly EventStore _store = EventStore.Open(":memory:");

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void SameFileTwiceChangesNothing()
    {
        var path = Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.csv");
        var mapping = ColumnMapping.Load(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.mapping.json"));

        var first = Load.File(_store, path, mapping);
        var before = _store.Statistics();
        var second = Load.File(_store, path, mapping);

        Assert.Equal(ImportStatus.Loaded, first.Status);
        Assert.Equal(31, first.Events);
        Assert.Equal(ImportStatus.SkippedDuplicate, second.Status);
        Assert.Equal(before, _store.Statistics());
    }

    [Fact]
    public void OverlappingFilesDoNotDuplicateEvents()
    {
        const string header = "case_id,activity,timestamp\n";
        var a = _temp.Write("a.csv", header + "c1,Submit,2024-01-01T09:00:00Z\nc1,Approve,2024-01-01T10:00:00Z\nc2,Submit,2024-01-02T09:00:00Z\n");
        // Repeats c1's two events, adds a third to c1 and a new case c3; c1's Approve appears twice in this file on purpose.
        var b = _temp.Write("b.csv", header + "c1,Submit,2024-01-01T09:00:00Z\nc1,Approve,2024-01-01T10:00:00Z\nc1,Approve,2024-01-01T10:00:00Z\nc3,Submit,2024-01-03T09:00:00Z\n");

        Load.File(_store, a);
        var second = Load.File(_store, b);

        Assert.Equal(ImportStatus.Loaded, second.Status);
        Assert.Equal(2, second.Overlapping);
        Assert.Equal(2, second.Events); // the second Approve of c1 (a genuine repeat within b) and c3's Submit
        Assert.Equal(new StoreStatistics(3, 5, 2, 0, 2), _store.Statistics());
    }

    [Fact]
    public void TruncatedGzipIsRefusedWithClearMessageAndNothingLoaded()
    {
        var source = File.ReadAllBytes(Path.Combine(RepositoryPaths.RealLogs, "DomesticDeclarations.xes.gz"));
        var truncated = Path.Combine(_temp.Path, "truncated.xes.gz");
        File.WriteAllBytes(truncated, source[..(source.Length / 2)]);

        var result = Load.File(_store, truncated);

        Assert.Equal(ImportStatus.Rejected, result.Status);
        Assert.Contains("truncated.xes.gz", result.Reason, StringComparison.Ordinal);
        Assert.Contains("the file is truncated or corrupt", result.Reason, StringComparison.Ordinal);
        Assert.Equal(new StoreStatistics(0, 0, 0, 0, 0), _store.Statistics());
    }

    [Fact]
    public void CsvWithOnePercentGarbageLoadsTheRestAndQuarantinesGarbageWithLineAndReason()
    {
        var csv = new StringBuilder("case_id,activity,timestamp,resource\n");
        var garbage = new Dictionary<int, string>
        {
            [11] = ",Approve,2024-02-01T10:00:00Z,r1",                // no case id
            [35] = "c35,Approve,not-a-date,r1",                       // unparseable timestamp
            [58] = "c58,Approve,2024-02-30T10:00:00Z,r1",             // impossible date
            [77] = "c77,Approve,2031-01-01T00:00:00Z,r1",             // in the future of the fixed clock
            [90] = "c90,Approve,2024-02-01T10:00:00Z,r1,extra,extra", // wrong number of fields
        };
        for (var i = 1; i <= 500; i++)
            csv.Append(garbage.TryGetValue(i, out var bad) ? bad : $"c{i},Approve,2024-02-01T10:00:00Z,r1").Append('\n');
        var path = _temp.Write("garbage.csv", csv.ToString());

        var result = Load.File(_store, path);

        Assert.Equal(ImportStatus.Loaded, result.Status);
        Assert.Equal(495, result.Events);
        Assert.Equal(5, result.Quarantined);
        var quarantined = Load.Rows(_store, "SELECT line, reason FROM quarantine ORDER BY line");
        // Data row i is on line i + 1 (line 1 is the header).
        Assert.Equal([12L, 36L, 59L, 78L, 91L], quarantined.Select(r => (long)r[0]!).ToArray());
        Assert.Equal("missing case id", quarantined[0][1]);
        Assert.Equal("unparseable timestamp", quarantined[1][1]);
        Assert.Equal("unparseable timestamp", quarantined[2][1]);
        Assert.Equal("impossible timestamp: in the future", quarantined[3][1]);
        Assert.StartsWith("malformed row", (string)quarantined[4][1]!, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvRowsKeepTheirLineAcrossQuotedLineBreaksBlankLinesAndABom()
    {
        // Windows line ends, as exported by spreadsheet tools.
        var csv = "\uFEFFcase_id,activity,timestamp,note\r\n" +
                  "c1,A,2024-01-01T09:00:00Z,\"two\r\nlines\"\r\n" +    // lines 2–3
                  "\r\n" +                                                // line 4, blank
                  "c1,B,2024-01-01T09:00:00Z,\"say \"\"hi\"\"\"\r\n" + // line 5, the same instant as A
                  "c2,A,not-a-date,x\r\n" +                              // line 6
                  "c2,B,2024-01-01T10:00:00Z,\"a,b\"\r\n";             // line 7
        var path = _temp.Write("quoted.csv", csv);

        var result = Load.File(_store, path, options: new IngestOptions { MaxBadRowRatio = 0.5 });

        Assert.True(result.Status == ImportStatus.Loaded, result.Reason);
        Assert.Equal(3, result.Events);
        var quarantined = Load.Rows(_store, "SELECT line, reason FROM quarantine");
        Assert.Equal(6L, (long)Assert.Single(quarantined)[0]!);
        var events = Load.Rows(_store, "SELECT case_id, activity, json_extract_string(attributes, '$.note') FROM events ORDER BY case_id, ts, seq");
        Assert.Equal(["c1", "A", "two\r\nlines"], events[0]);
        Assert.Equal(["c1", "B", "say \"hi\""], events[1]);
        Assert.Equal(["c2", "B", "a,b"], events[2]);
        Assert.Equal([2L, 5L, 7L], Load.Rows(_store, "SELECT seq FROM events ORDER BY seq").Select(r => (long)r[0]!).ToArray());
    }

    [Theory]
    [InlineData("\r", ",")]   // classic Mac line ends
    [InlineData("\n", "\\t")] // tab-separated
    public void CsvLinesAreKeptWithOtherLineEndsAndDelimiters(string newline, string delimiter)
    {
        var d = delimiter == "\\t" ? "\t" : delimiter;
        string Row(params string[] fields) => string.Join(d, fields) + newline;
        var csv = Row("case_id", "activity", "timestamp") + Row("c1", "A", "2024-01-01T09:00:00Z") + Row("c1", "B", "yesterday") +
                  Row("c1", "C", "2024-01-01T10:00:00Z");
        var path = _temp.Write("other.csv", csv);

        var result = Load.File(_store, path, ColumnMapping.Default with { Delimiter = delimiter }, new IngestOptions { MaxBadRowRatio = 0.5 });

        Assert.True(result.Status == ImportStatus.Loaded, result.Reason);
        Assert.Equal(2, result.Events);
        Assert.Equal(3L, Load.Scalar<long>(_store, "SELECT line FROM quarantine"));
        Assert.Equal([2L, 4L], Load.Rows(_store, "SELECT seq FROM events ORDER BY seq").Select(r => (long)r[0]!).ToArray());
    }

    [Fact]
    public void FileWithTooManyBadRowsIsRefusedWhole()
    {
        var csv = new StringBuilder("case_id,activity,timestamp\n");
        for (var i = 0; i < 100; i++)
            csv.Append(i % 10 == 0 ? $"c{i},A,yesterday\n" : $"c{i},A,2024-01-01T00:00:00Z\n");
        var path = _temp.Write("bad.csv", csv.ToString());

        var result = Load.File(_store, path);

        Assert.Equal(ImportStatus.Rejected, result.Status);
        Assert.Contains("10 of 100 rows are bad", result.Reason, StringComparison.Ordinal);
        Assert.Contains("unparseable timestamp", result.Reason, StringComparison.Ordinal);
        Assert.Equal(new StoreStatistics(0, 0, 0, 0, 0), _store.Statistics());
    }

    [Fact]
    public void OffsetsAreHonouredAndNaiveTimestampsTakeTheMappingZone()
    {
        var withOffset = _temp.Write("offset.csv", "case_id,activity,timestamp\nc1,A,2024-01-15 10:00:00+01:00\nc1,B,2024-01-15T10:00:00Z\n");
        var naive = _temp.Write("naive.csv", "case_id,activity,timestamp\nc2,A,2024-01-15 10:00:00\nc2,B,2024-07-15 10:00:00\n");

        Load.File(_store, withOffset);
        Load.File(_store, naive, new ColumnMapping { TimeZone = "Europe/Amsterdam" });

        var times = Load.Rows(_store, "SELECT case_id || activity, strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM events ORDER BY 1")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("2024-01-15 09:00", times["c1A"]);
        Assert.Equal("2024-01-15 10:00", times["c1B"]);
        Assert.Equal("2024-01-15 09:00", times["c2A"]); // CET, UTC+1
        Assert.Equal("2024-07-15 08:00", times["c2B"]); // CEST, UTC+2
    }

    [Fact]
    public void CustomTimestampFormatsAreReadInTheMappingZone()
    {
        var path = Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.csv");
        var mapping = ColumnMapping.Load(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.mapping.json"));

        Load.File(_store, path, mapping);

        // SP-0001 was filed at 09:12 Shanghai time (UTC+8).
        Assert.Equal("2024-03-04 01:12", Load.Scalar<string>(_store,
            "SELECT strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM events WHERE case_id = 'SP-0001' AND activity = 'Filing submitted'"));
        var attributes = Load.Rows(_store, "SELECT key, value_type, coalesce(text_value, number_value::VARCHAR, bool_value::VARCHAR) FROM case_attributes WHERE case_id = 'SP-0003' ORDER BY key");
        Assert.Equal(["amount", "controlled", "discount_pct", "region"], attributes.Select(a => (string)a[0]!).ToArray());
        Assert.Equal(["number", "boolean", "number", "string"], attributes.Select(a => (string)a[1]!).ToArray());
        Assert.Equal("31.0", attributes[2][2]); // the first value in file order
        Assert.Equal("floor price breached, resubmit", Load.Scalar<string>(_store,
            "SELECT attributes->>'comment' FROM events WHERE case_id = 'SP-0003' AND activity = 'Price desk rejected'"));
    }

    [Fact]
    public void CaseAttributesKeepTheFirstValueAndAreTypedByTheValuesStored()
    {
        var mapping = ColumnMapping.Default with { CaseAttributes = ["amount", "tier"] };
        const string header = "case_id,activity,timestamp,amount,tier\n";
        // c1's amount changes on its second row and c2's tier is not a number: amount is a number, tier text.
        var a = _temp.Write("a.csv", header + "c1,Submit,2024-01-01T09:00:00Z,,1\nc1,Approve,2024-01-01T10:00:00Z,100,2\n" +
                                              "c1,Close,2024-01-01T11:00:00Z,250,3\nc2,Submit,2024-01-02T09:00:00Z,70.5,gold\n");
        // A later file with c1 again and a new case: c1 keeps what it had, c3 gets its own.
        var b = _temp.Write("b.csv", header + "c1,Reopen,2024-01-03T09:00:00Z,999,9\nc3,Submit,2024-01-03T09:00:00Z,5,silver\n");

        Load.File(_store, a, mapping);
        Load.File(_store, b, mapping);

        var rows = Load.Rows(_store, "SELECT case_id, key, value_type, coalesce(text_value, number_value::VARCHAR) FROM case_attributes ORDER BY case_id, key");
        Assert.Equal(
            [["c1", "amount", "number", "100.0"], ["c1", "tier", "string", "1"], ["c2", "amount", "number", "70.5"], ["c2", "tier", "string", "gold"],
             ["c3", "amount", "number", "5.0"], ["c3", "tier", "string", "silver"]],
            rows);
    }

    [Fact]
    public void Gb18030AndBomCsvLoadWithChineseText()
    {
        const string content = "单号,节点,时间\nSO-1,提交申请,2024-02-01 09:00:00\nSO-1,产品经理审批,2024-02-02 10:30:00\n";
        var gb = _temp.Write("gb.csv", content, Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback));
        var bom = _temp.Write("bom.csv", content.Replace("SO-1", "SO-2", StringComparison.Ordinal), new UTF8Encoding(true));
        var mapping = new ColumnMapping { CaseId = "单号", Activity = "节点", Timestamp = "时间", TimeZone = "Asia/Shanghai" };

        Assert.Equal(ImportStatus.Loaded, Load.File(_store, gb, mapping with { Encoding = "gb18030" }).Status);
        Assert.Equal(ImportStatus.Loaded, Load.File(_store, bom, mapping).Status);

        Assert.Equal(["产品经理审批", "提交申请"], Load.Rows(_store, "SELECT DISTINCT activity FROM events ORDER BY 1").Select(r => (string)r[0]!).ToArray());
        Assert.Equal(4L, _store.Statistics().Events);
    }

    [Fact]
    public void MissingMappedColumnIsRefusedNamingTheColumn()
    {
        var path = _temp.Write("cols.csv", "order,step,when\no1,A,2024-01-01T00:00:00Z\n");

        var result = Load.File(_store, path);

        Assert.Equal(ImportStatus.Rejected, result.Status);
        Assert.Contains("column 'case_id' (the case id) is not in the file; its columns are: order, step, when", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedAndCorruptFilesAreRefusedNamingTheFile()
    {
        var text = _temp.Write("notes.docx", "hello");
        var parquet = _temp.Write("broken.parquet", "PAR1 this is not parquet");
        var xes = _temp.Write("broken.xes", "<log><trace><event><string key=\"concept:name\" value=\"A\"></event></trace></log>");

        var results = new[] { text, parquet, xes }.Select(p => Load.File(_store, p)).ToList();

        Assert.All(results, r => Assert.Equal(ImportStatus.Rejected, r.Status));
        Assert.Contains("unsupported file type '.docx'", results[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith(parquet, results[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith(xes, results[2].Reason, StringComparison.Ordinal);
        Assert.Equal(new StoreStatistics(0, 0, 0, 0, 0), _store.Statistics());
    }

    [Fact]
    public void JsonLinesKeepsBadLinesInQuarantineWithTheirLineNumber()
    {
        var path = _temp.Write("events.jsonl", """
            {"case_id":"j1","activity":"Submit","timestamp":"2024-03-01T08:00:00+08:00","amount_note":"x","priority":2}
            {"case_id":"j1","activity":"Approve","timestamp":"2024-03-01T09:30:00+08:00"}

            {"case_id":"j2","activity":"Submit", oops}
            {"case_id":"j2","activity":"Submit","timestamp":"2024-03-02T08:00:00+08:00"}
            """);

        var result = Load.File(_store, path, new ColumnMapping { CaseAttributes = ["priority"] }, new IngestOptions { MaxBadRowRatio = 0.5 });

        Assert.Equal(3, result.Events);
        Assert.Equal(1, result.Quarantined);
        var q = Load.Rows(_store, "SELECT line, reason, raw FROM quarantine")[0];
        Assert.Equal(4L, q[0]);
        Assert.StartsWith("invalid JSON", (string)q[1]!, StringComparison.Ordinal);
        Assert.Contains("oops", (string)q[2]!, StringComparison.Ordinal);
        Assert.Equal("2024-03-01 00:00", Load.Scalar<string>(_store, "SELECT strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM events WHERE case_id='j1' AND activity='Submit'"));
        Assert.Equal(2.0, Load.Scalar<double>(_store, "SELECT number_value FROM case_attributes WHERE case_id='j1' AND key='priority'"));
        Assert.Equal("x", Load.Scalar<string>(_store, "SELECT attributes->>'amount_note' FROM events WHERE case_id='j1' AND activity='Submit'"));
    }

    [Fact]
    public void GzippedCsvLoads()
    {
        var path = Path.Combine(_temp.Path, "log.csv.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write("case_id,activity,timestamp\nz1,A,2024-01-01T00:00:00Z\nz1,B,2024-01-01T01:00:00Z\n"u8);

        Assert.Equal(2, Load.File(_store, path).Events);
    }
}
