using Analytics.Testing;

namespace Analytics.Storage.Tests.Ingestion;

/// <summary>The UTC offsets written in a file's timestamps are kept per month, as evidence of the zone the data was written in.</summary>
public sealed class OffsetTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private static readonly System.Globalization.CultureInfo Culture = System.Globalization.CultureInfo.InvariantCulture;
    private readonly EventStore _store = EventStore.Open(":memory:");

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void XesOffsetsAreCountedPerMonthOfTheInstant()
    {
        var xes = _temp.Write("tz.xes", """
            <log xes.version="1.0">
              <trace><string key="concept:name" value="c1"/>
                <event><string key="concept:name" value="a"/><date key="time:timestamp" value="2017-01-09T09:00:00.000+01:00"/></event>
                <event><string key="concept:name" value="b"/><date key="time:timestamp" value="2017-01-09T10:00:00.000+01:00"/></event>
                <event><string key="concept:name" value="c"/><date key="time:timestamp" value="2017-07-03T10:00:00.000+02:00"/></event>
                <event><string key="concept:name" value="d"/><date key="time:timestamp" value="2017-07-03T11:00:00"/></event>
              </trace>
            </log>
            """);

        Load.File(_store, xes);

        var rows = Load.Rows(_store, "SELECT year_month, offset_minutes, timestamps FROM file_offsets ORDER BY 1, 2")
            .Select(r => (Convert.ToInt32(r[0], Culture), Convert.ToInt32(r[1], Culture), Convert.ToInt64(r[2], Culture))).ToList();
        // The naive timestamp carries no offset and is not counted.
        Assert.Equal([(201701, 60, 2L), (201707, 120, 1L)], rows);
    }

    [Fact]
    public void CsvOffsetsAreReadFromTheTimestampText()
    {
        var csv = _temp.Write("tz.csv", "case_id,activity,timestamp\nc1,a,2024-01-02T11:41:45.937+08:00\nc1,b,2024-01-02T13:00:00+0800\nc2,a,2024-02-01T08:00:00Z\nc2,b,2024-02-01 09:00:00\n");

        Load.File(_store, csv);

        var rows = Load.Rows(_store, "SELECT year_month, offset_minutes, timestamps FROM file_offsets ORDER BY 1, 2")
            .Select(r => (Convert.ToInt32(r[0], Culture), Convert.ToInt32(r[1], Culture), Convert.ToInt64(r[2], Culture))).ToList();
        Assert.Equal([(202401, 480, 2L), (202402, 0, 1L)], rows);
    }
}
