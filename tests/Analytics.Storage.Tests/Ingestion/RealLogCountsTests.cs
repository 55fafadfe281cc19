using System.Text.Json;
using Analytics.Storage.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Ingestion;

/// <summary>Every real log in ../shared/real-logs gives exactly the cases, events and activities in its SUMMARY.json.</summary>
public sealed class RealLogCountsTests
{
    public static TheoryData<string> Logs()
    {
        var data = new TheoryData<string>();
        foreach (var name in Summary().EnumerateObject().Select(p => p.Name))
            data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public void RealLogLoadsWithPublishedCounts(string log)
    {
        var expected = Summary().GetProperty(log);
        using var store = EventStore.Open(":memory:");

        var result = Load.File(store, Path.Combine(RepositoryPaths.RealLogs, log));

        Assert.Equal(ImportStatus.Loaded, result.Status);
        var stats = store.Statistics();
        Assert.Equal(expected.GetProperty("traces").GetInt64(), stats.Cases);
        Assert.Equal(expected.GetProperty("events").GetInt64(), stats.Events);
        Assert.Equal(expected.GetProperty("distinct_activities").GetInt64(), stats.Activities);
        Assert.Equal(0, result.Quarantined);
    }

    [Fact]
    public void XesOffsetsAreHonouredAndTraceAttributesAreTyped()
    {
        using var store = EventStore.Open(":memory:");
        Load.File(store, Path.Combine(RepositoryPaths.RealLogs, "bpic2012.xes.gz"));

        // Case 173688 starts with A_SUBMITTED at 2011-10-01T00:38:44.546+02:00 in the file.
        var first = Load.Rows(store, "SELECT strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%g'), activity, lifecycle FROM events WHERE case_id = '173688' ORDER BY ts, file_id, seq LIMIT 1")[0];
        Assert.Equal("2011-09-30 22:38:44.546", first[0]);
        Assert.Equal("A_SUBMITTED", first[1]);
        Assert.Equal("COMPLETE", first[2]);
        var amount = Load.Rows(store, "SELECT value_type, text_value FROM case_attributes WHERE case_id = '173688' AND key = 'AMOUNT_REQ'")[0];
        Assert.Equal("string", amount[0]);
        Assert.Equal("20000", amount[1]);
        var registered = Load.Rows(store, "SELECT value_type, strftime(time_value AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM case_attributes WHERE case_id = '173688' AND key = 'REG_DATE'")[0];
        Assert.Equal("timestamp", registered[0]);
        Assert.Equal("2011-09-30 22:38:44", registered[1]);
    }

    private static JsonElement Summary()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.RealLogs, "SUMMARY.json")));
        return doc.RootElement.Clone();
    }
}
