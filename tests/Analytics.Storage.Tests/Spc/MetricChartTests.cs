using Analytics.Core.Calendars;
using Analytics.Core.Spc;
using Analytics.Storage.Ingestion;
using Analytics.Storage.Mining;
using Analytics.Storage.Spc;
using Analytics.Storage.Tests.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Spc;

public sealed class MetricChartTests : IDisposable
{
    private readonly EventStore _store = EventStore.Open(":memory:");

    public void Dispose() => _store.Dispose();

    private ProcessMiner Sample()
    {
        Load.File(_store, Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.csv"),
            ColumnMapping.Load(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.mapping.json")));
        return new ProcessMiner(_store);
    }

    [Fact]
    public void ReviewRatioCountsCasesThatReachAPmPerWeek()
    {
        var (subgroups, _) = MetricCharts.Subgroups(Sample(), new MetricChartRequest { Metric = "review-ratio", Node = "PM %", Chart = ChartKind.P });

        // All six orders were filed in ISO week 2024-W10; SP-0001, -0003, -0004 and -0006 reached a PM.
        var week = Assert.Single(subgroups);
        Assert.Equal("2024-W10", week.Label);
        Assert.Equal(4, week.Values[0]);
        Assert.Equal(6, week.Size);
    }

    [Fact]
    public void NodeLatencyPerOrderInBusinessHours()
    {
        var (subgroups, _) = MetricCharts.Subgroups(Sample(), new MetricChartRequest
        {
            Metric = "node-latency", Node = "Finance approved", Chart = ChartKind.IndividualsMovingRange, Period = PeriodKind.None,
            Calendar = BuiltInCalendars.CnShanghai,
        });

        // SP-0003: PM price changed Mon 11 Mar 11:00 → Finance approved Tue 12 Mar 15:30 Shanghai = 11.5 office hours.
        Assert.Equal(11.5, Assert.Single(subgroups).Values[0], 9);
    }

    [Fact]
    public void ARatioOnAnXbarChartIsRefusedWithAReason()
    {
        var ex = Assert.Throws<ArgumentException>(() => MetricCharts.Subgroups(Sample(), new MetricChartRequest { Metric = "review-ratio", Node = "PM %", Chart = ChartKind.XbarR }));
        Assert.Contains("chart it with p, np or laney-p", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MonitorRecordsEachSignalOnce()
    {
        Load.File(_store, Path.Combine(RepositoryPaths.RealLogs, "DomesticDeclarations.xes.gz"));
        var monitor = new SpcMonitor(_store, TimeProvider.System);
        MonitoredChart[] charts =
        [
            new() { Metric = "cycle-time", Chart = "imr", Subgroup = "week", Transform = "log" },
            new() { Metric = "review-ratio", Node = "Declaration REJECTED%", Chart = "laney-p", Subgroup = "week" },
        ];

        var first = monitor.Run(charts, null, [], _ => throw new InvalidOperationException("no calendar expected"), CancellationToken.None);
        var second = monitor.Run(charts, null, [], _ => throw new InvalidOperationException("no calendar expected"), CancellationToken.None);

        Assert.NotEmpty(first.Signals);
        Assert.Empty(first.Skipped);
        Assert.Empty(second.Signals);
        Assert.Equal(first.Signals.Count, Load.Scalar<long>(_store, "SELECT count(*) FROM spc_signals"));
        Assert.Equal(first.Signals.Count, Load.Scalar<long>(_store, "SELECT count(DISTINCT (chart_key, point_label, signal)) FROM spc_signals"));
    }
}
