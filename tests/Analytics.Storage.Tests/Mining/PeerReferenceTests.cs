using System.Text.Json;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage.Mining;
using Analytics.Storage.Tests.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Mining;

/// <summary>
/// Our mining equals what pm4py 2.7.11.4 computes on the same logs (../shared/peer-reference): edge sets, counts,
/// variants, start and end activities exactly; durations within 1 s, on the wall clock and in pm4py's business hours
/// (Monday–Friday 09:00–17:00 on the UTC wall clock, our built-in utc-weekdays-9-17). The reference files already use
/// offset-honouring instants, which is our reading too (pm4py as shipped drops XES offsets).
/// </summary>
public sealed class PeerReferenceTests
{
    private const double Tolerance = 1.0;

    public static TheoryData<string> References() => new() { "running-example.pm4py.json", "08_receipt.pm4py.json", "DomesticDeclarations.pm4py.json" };

    [Theory]
    [MemberData(nameof(References))]
    public void DirectlyFollowsGraphMatchesPm4py(string reference)
    {
        var (expected, miner) = Open(reference);

        var edges = miner.DirectlyFollows(MiningFilter.All, BuiltInCalendars.UtcWeekdays9To17).ToDictionary(e => (e.From, e.To));

        var wall = expected.GetProperty("performance_dfg").GetProperty("edge_list").EnumerateArray().ToList();
        Assert.Equal(wall.Select(e => (e.GetProperty("from").GetString()!, e.GetProperty("to").GetString()!)).Order(), edges.Keys.Order());
        foreach (var e in wall)
        {
            var edge = edges[(e.GetProperty("from").GetString()!, e.GetProperty("to").GetString()!)];
            Assert.Equal(e.GetProperty("count").GetInt64(), edge.Count);
            AssertSummary(e, edge.WallClock);
        }
        foreach (var e in expected.GetProperty("business_hours").GetProperty("performance_dfg_edge_list").EnumerateArray())
            AssertSummary(e, edges[(e.GetProperty("from").GetString()!, e.GetProperty("to").GetString()!)].Business!);
    }

    [Theory]
    [MemberData(nameof(References))]
    public void VariantsStartEndActivitiesAndCaseDurationsMatchPm4py(string reference)
    {
        var (expected, miner) = Open(reference);

        var variants = miner.Variants(MiningFilter.All);
        var cases = miner.Cases(MiningFilter.All, BuiltInCalendars.UtcWeekdays9To17);

        var v = expected.GetProperty("variants");
        Assert.Equal(v.GetProperty("count").GetInt32(), variants.Count);
        var top = v.GetProperty("top").EnumerateArray().First();
        Assert.Equal(top.GetProperty("activities").EnumerateArray().Select(a => a.GetString()!), variants[0].Activities);
        Assert.Equal(top.GetProperty("count").GetInt64(), variants[0].Count);
        Assert.Equal(Counts(expected.GetProperty("start_activities")), cases.StartActivities.OrderBy(p => p.Key));
        Assert.Equal(Counts(expected.GetProperty("end_activities")), cases.EndActivities.OrderBy(p => p.Key));
        AssertCaseDurations(expected.GetProperty("case_durations"), cases.WallClock);
        AssertCaseDurations(expected.GetProperty("business_hours").GetProperty("case_durations"), cases.Business!);
    }

    private static (JsonElement Expected, ProcessMiner Miner) Open(string reference)
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Shared, "peer-reference", reference))).RootElement;
        var store = EventStore.Open(":memory:");
        Load.File(store, Path.Combine(RepositoryPaths.RealLogs, expected.GetProperty("log").GetString()!.Split('/')[^1]));
        return (expected, new ProcessMiner(store));
    }

    private static IOrderedEnumerable<KeyValuePair<string, long>> Counts(JsonElement e) =>
        e.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())).OrderBy(p => p.Key);

    private static void AssertSummary(JsonElement expected, DurationSummary actual)
    {
        Assert.Equal(expected.GetProperty("count").GetInt64(), actual.Count);
        Assert.Equal(expected.GetProperty("mean").GetDouble(), actual.MeanSeconds, Tolerance);
        Assert.Equal(expected.GetProperty("median").GetDouble(), actual.MedianSeconds, Tolerance);
        Assert.Equal(expected.GetProperty("min").GetDouble(), actual.MinSeconds, Tolerance);
        Assert.Equal(expected.GetProperty("max").GetDouble(), actual.MaxSeconds, Tolerance);
        if (expected.GetProperty("stdev").ValueKind == JsonValueKind.Null)
            Assert.Null(actual.StdevSeconds);
        else
            Assert.Equal(expected.GetProperty("stdev").GetDouble(), actual.StdevSeconds!.Value, Tolerance);
    }

    private static void AssertCaseDurations(JsonElement expected, DurationSummary actual)
    {
        Assert.Equal(expected.GetProperty("n").GetInt64(), actual.Count);
        Assert.Equal(expected.GetProperty("min").GetDouble(), actual.MinSeconds, Tolerance);
        Assert.Equal(expected.GetProperty("median").GetDouble(), actual.MedianSeconds, Tolerance);
        Assert.Equal(expected.GetProperty("mean").GetDouble(), actual.MeanSeconds, Tolerance);
        Assert.Equal(expected.GetProperty("p90").GetDouble(), actual.P90Seconds, Tolerance);
        Assert.Equal(expected.GetProperty("max").GetDouble(), actual.MaxSeconds, Tolerance);
    }
}
