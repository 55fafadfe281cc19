using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage.Ingestion;
using Analytics.Storage.Mining;
using Analytics.Storage.Tests.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Mining;

/// <summary>Mining on the special-price sample, with expectations computed by hand from data-samples/special-price-mini.csv.</summary>
public sealed class MiningTests : IDisposable
{
    private readonly EventStore _store = EventStore.Open(":memory:");
    private readonly ProcessMiner _miner;

    public MiningTests()
    {
        Load.File(_store, Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.csv"),
            ColumnMapping.Load(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.mapping.json")));
        _miner = new ProcessMiner(_store);
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public void WaitingBeforeFinanceUsesTheFinanceCalendar()
    {
        var calendar = CalendarFile("cn-shanghai-finance-mornings.json");

        var finance = _miner.Nodes(MiningFilter.All, calendar, "role").Single(n => n.Node == "Finance approved");
        var shanghai = _miner.Nodes(MiningFilter.All, BuiltInCalendars.CnShanghai, "role").Single(n => n.Node == "Finance approved");

        // SP-0003: PM price changed Mon 11 Mar 2024 11:00, Finance approved Tue 12 Mar 15:30 (Shanghai).
        // Finance works 09–12: Mon 11–12 and Tue 09–12 = 4 h. Office hours (09–12, 13–18): 1 + 5 + 3 + 2.5 = 11.5 h.
        Assert.Equal("FINANCE", finance.Role);
        Assert.Equal(4 * 3600, finance.BusinessWaiting!.MaxSeconds, 3);
        Assert.Equal(11.5 * 3600, shanghai.BusinessWaiting!.MaxSeconds, 3);
        Assert.Equal(28.5 * 3600, finance.Waiting.MaxSeconds, 3);
    }

    [Fact]
    public void WaitingSharesFormAParetoThatSumsToOne()
    {
        var nodes = _miner.Nodes(MiningFilter.All, null);

        Assert.Equal(1.0, nodes.Sum(n => n.WaitingShare), 9);
        Assert.True(nodes.Zip(nodes.Skip(1)).All(p => p.First.WaitingShare >= p.Second.WaitingShare));
        // PM approved: SP-0001 waits Tue 5 Mar 10:05 → Thu 7 Mar 16:20 (54.25 h), SP-0004 Thu 7 Mar 10:30 → Fri 8 Mar 17:10 (30.67 h).
        var pm = nodes.Single(n => n.Node == "PM approved");
        Assert.Equal(2, pm.Waiting.Count);
        Assert.Equal((54.25 * 3600 + (30 * 3600 + 40 * 60)) / 2, pm.Waiting.MeanSeconds, 3);
    }

    [Fact]
    public void ReworkCountsRejectionsAndFirstPassYield()
    {
        var rework = _miner.Rework(MiningFilter.All);

        // SP-0003 (price desk rejected) and SP-0006 (PM rejected) had a rejection; no activity repeats under its own name.
        Assert.Equal(6, rework.Cases);
        Assert.Equal(2, rework.CasesWithRejection);
        Assert.Equal(0, rework.CasesWithRework);
        Assert.Equal(4.0 / 6, rework.FirstPassYield, 9);
    }

    [Fact]
    public void CaseAttributeTimeWindowAndActivityFiltersNarrowTheLog()
    {
        var controlled = _miner.Cases(new MiningFilter { CaseAttributes = [AttributeCondition.Parse("controlled=true")] }, null);
        var large = _miner.Cases(new MiningFilter { CaseAttributes = [AttributeCondition.Parse("amount>=200000")] }, null);
        var early = _miner.Cases(new MiningFilter { ToUtc = new DateTime(2024, 3, 5, 0, 0, 0, DateTimeKind.Utc) }, null);
        var approvals = _miner.DirectlyFollows(new MiningFilter { Activities = ["Filing submitted", "Order placed"] }, null);

        Assert.Equal(4, controlled.Cases);
        Assert.Equal(2, large.Cases);      // SP-0003 (520,000) and SP-0006 (260,000)
        Assert.Equal(2, early.Cases);      // SP-0001 and SP-0002 start on 4 March (Shanghai, still 4 March UTC)
        Assert.Equal([("Filing submitted", "Order placed", 5L)], approvals.Select(e => (e.From, e.To, e.Count)));
    }

    [Fact]
    public void ConformanceFindsEachKindOfViolation()
    {
        using var temp = new TempFolder();
        var log = temp.Write("policy.csv", """
            case_id,activity,timestamp,resource,controlled,contract_date
            c1,Filing submitted,2024-03-01T09:00:00Z,u1,true,2024-04-01T00:00:00Z
            c1,Price desk approved,2024-03-01T10:00:00Z,u2,true,2024-04-01T00:00:00Z
            c1,Order placed,2024-03-01T11:00:00Z,u1,true,2024-04-01T00:00:00Z
            c2,Filing submitted,2024-03-01T09:00:00Z,u1,false,2024-04-01T00:00:00Z
            c2,Order placed,2024-03-01T10:00:00Z,u1,false,2024-04-01T00:00:00Z
            c2,Price desk approved,2024-03-01T11:00:00Z,u2,false,2024-04-01T00:00:00Z
            c3,Filing submitted,2024-03-01T09:00:00Z,u3,false,2024-04-01T00:00:00Z
            c3,Price desk approved,2024-03-01T10:00:00Z,u3,false,2024-04-01T00:00:00Z
            c4,Filing submitted,2024-03-02T09:00:00Z,u1,false,2024-03-01T00:00:00Z
            c4,Price desk approved,2024-03-02T10:00:00Z,u2,false,2024-03-01T00:00:00Z
            c5,Filing submitted,2024-03-01T09:00:00Z,u1,true,2024-04-01T00:00:00Z
            c5,Price desk approved,2024-03-01T10:00:00Z,u2,true,2024-04-01T00:00:00Z
            c5,PM approved,2024-03-01T11:00:00Z,u4,true,2024-04-01T00:00:00Z
            """);
        using var store = EventStore.Open(":memory:");
        Load.File(store, log, new ColumnMapping { CaseAttributes = ["controlled", "contract_date"] });
        using var policyFile = File.OpenRead(Path.Combine(RepositoryPaths.DataSamples, "policies", "special-price.policy.json"));

        var results = new ConformanceChecker(store).Check(ApprovalPolicy.Parse(policyFile, "policy"), MiningFilter.All);

        Assert.Equal(["c1"], results[0].Violations);   // controlled, never reviewed by a PM
        Assert.Equal(2, results[0].CasesChecked);       // c1 and c5 are controlled
        Assert.Equal(["c2"], results[1].Violations);   // order placed before the price desk approved
        Assert.Equal(["c4"], results[2].Violations);   // filed a day after the contract date
        Assert.Equal(["c3"], results[3].Violations);   // u3 filed and approved
    }

    private static BusinessCalendar CalendarFile(string name)
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.DataSamples, "calendars", name));
        return BusinessCalendar.Parse(stream, name);
    }
}
