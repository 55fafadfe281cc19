using Analytics.Storage.Ingestion;
using Analytics.Testing;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Analytics.Storage.Tests.Ingestion;

public sealed class ParquetLoadingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ParquetWithTimestampsAndTypedColumnsLoads()
    {
        var path = _temp.File("log.parquet");
        var caseId = new DataField<string>("case_id");
        var activity = new DataField<string>("activity");
        var ts = new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
        var amount = new DataField<double>("amount");
        var controlled = new DataField<bool>("controlled");
        var schema = new ParquetSchema(caseId, activity, ts, amount, controlled);
        var t0 = new DateTime(2024, 5, 6, 1, 2, 3, DateTimeKind.Utc);
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, file);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(caseId, new[] { "p1", "p1", "p2" });
            await group.WriteAsync(activity, new[] { "Submit", "Approve", "" });
            await group.WriteAsync(ts, new ReadOnlyMemory<DateTime>([t0, t0.AddHours(5), t0]));
            await group.WriteAsync(amount, new ReadOnlyMemory<double>([1200.5, 1200.5, 90.0]));
            await group.WriteAsync(controlled, new ReadOnlyMemory<bool>([true, true, false]));
        }
        using var store = EventStore.Open(":memory:");

        var result = Load.File(store, path, new ColumnMapping { CaseAttributes = ["amount", "controlled"] }, new IngestOptions { MaxBadRowRatio = 0.5 });

        Assert.True(result.Status == ImportStatus.Loaded, $"{result.Status}: {result.Reason}");
        Assert.Equal(2, result.Events);
        Assert.Equal(1, result.Quarantined);
        Assert.Equal(3L, Load.Scalar<long>(store, "SELECT line FROM quarantine WHERE reason = 'missing activity'"));
        Assert.Equal("2024-05-06 06:02:03", Load.Scalar<string>(store, "SELECT strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM events WHERE activity = 'Approve'"));
        Assert.Equal(1200.5, Load.Scalar<double>(store, "SELECT number_value FROM case_attributes WHERE case_id = 'p1' AND key = 'amount'"));
        Assert.Equal("boolean", Load.Scalar<string>(store, "SELECT value_type FROM case_attributes WHERE case_id = 'p1' AND key = 'controlled'"));
    }
}
