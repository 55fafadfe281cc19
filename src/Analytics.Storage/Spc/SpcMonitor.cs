using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Spc;
using Analytics.Storage.Mining;

namespace Analytics.Storage.Spc;

/// <summary>
/// Recomputes the monitored charts over the whole store and records signals not seen before in <c>spc_signals</c>,
/// which reports and notifications read. Not thread-safe: run it on the thread that owns the store.
/// </summary>
public sealed class SpcMonitor
{
    private readonly EventStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates a monitor.</summary>
    public SpcMonitor(EventStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <summary>A signal recorded by <see cref="Run"/>.</summary>
    /// <param name="ChartKey">Identifies the chart: metric, node, chart, subgroup, transform, segment.</param>
    /// <param name="Point">The point's label (a week, a day, an order's time).</param>
    /// <param name="Signal">The signal (see <see cref="Signals"/>).</param>
    /// <param name="Meaning">A sentence for a person.</param>
    public sealed record NewSignal(string ChartKey, string Point, string Signal, string Meaning);

    /// <summary>Computes every chart and records the signals that are new.</summary>
    /// <param name="charts">The charts to watch.</param>
    /// <param name="calendar">The process's calendar, for charts that name none; null charts those in wall-clock time.</param>
    /// <param name="exclude">Activities recorded beside the flow, left out of every chart.</param>
    /// <param name="resolveCalendar">Turns a calendar name or file into a calendar.</param>
    /// <param name="cancellationToken">Checked between charts.</param>
    /// <returns>The signals recorded now, and the charts that could not be computed with the reason.</returns>
    public (IReadOnlyList<NewSignal> Signals, IReadOnlyList<string> Skipped) Run(IReadOnlyList<MonitoredChart> charts, BusinessCalendar? calendar,
        IReadOnlyList<string> exclude, Func<string, BusinessCalendar> resolveCalendar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charts);
        ArgumentNullException.ThrowIfNull(exclude);
        ArgumentNullException.ThrowIfNull(resolveCalendar);
        var miner = new ProcessMiner(_store);
        var found = new List<NewSignal>();
        var skipped = new List<string>();
        foreach (var config in charts)
        {
            if (!ChartKinds.TryParse(config.Chart, out var kind))
            {
                skipped.Add($"{config.Metric}: unknown chart '{config.Chart}'");
                continue;
            }
            var filter = new MiningFilter { CaseAttributes = config.Segment.Select(AttributeCondition.Parse).ToList(), ExcludeActivities = exclude };
            var nodes = config.Node == "*" ? miner.Activities(filter).Select(a => (string?)a).ToList() : [config.Node];
            foreach (var node in nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var request = new MetricChartRequest
                {
                    Metric = config.Metric,
                    Node = node,
                    Chart = kind,
                    Period = config.Subgroup switch { "day" => PeriodKind.Day, "order" => PeriodKind.None, _ => PeriodKind.Week },
                    Options = new ChartOptions
                    {
                        Transform = config.Transform switch { "log" => TransformKind.Log, "boxcox" => TransformKind.BoxCox, _ => TransformKind.None },
                    },
                    Calendar = string.IsNullOrEmpty(config.Calendar) ? calendar : resolveCalendar(config.Calendar),
                    Filter = filter,
                };
                var key = $"{config.Metric}|{node}|{config.Chart}|{config.Subgroup}|{config.Transform}|{string.Join("&", config.Segment)}";
                try
                {
                    var chart = MetricCharts.Compute(miner, request);
                    found.AddRange(Record(key, config, node, chart, request.Options.Tests));
                }
                catch (ArgumentException ex)
                {
                    skipped.Add($"{key}: {ex.Message}");
                }
            }
        }
        return (found, skipped);
    }

    /// <summary>Recorded signals, the latest points first: at most <paramref name="limit"/>, of one chart key when given.</summary>
    public IReadOnlyList<RecordedSignal> Recorded(int limit, string? chartKey)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT detected_at, chart_key, metric, node, chart, test, signal, point_label, phase, value, lcl, ucl, meaning
            FROM spc_signals {(chartKey is null ? "" : "WHERE chart_key = $1")}
            ORDER BY point_label DESC, chart_key, test LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            """;
        if (chartKey is not null)
            cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter(chartKey));
        using var r = cmd.ExecuteReader();
        var list = new List<RecordedSignal>();
        while (r.Read())
            list.Add(new RecordedSignal(((DateTime)r.GetValue(0)).ToUniversalTime(), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4),
                r.GetInt32(5), r.GetString(6), r.GetString(7), r.GetString(8), r.GetDouble(9), r.GetDouble(10), r.GetDouble(11), r.GetString(12)));
        return list;
    }

    /// <summary>Signals recorded so far.</summary>
    public long RecordedSignals() => Convert.ToInt64(_store.Scalar("SELECT count(*) FROM spc_signals"), System.Globalization.CultureInfo.InvariantCulture);

    private List<NewSignal> Record(string key, MonitoredChart config, string? node, ControlChart chart, SpecialCauseTests tests)
    {
        var known = new HashSet<(string, string)>();
        using (var cmd = _store.Connection.CreateCommand())
        {
            cmd.CommandText = "SELECT point_label, signal FROM spc_signals WHERE chart_key = $1";
            cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter(key));
            using var r = cmd.ExecuteReader();
            while (r.Read())
                known.Add((r.GetString(0), r.GetString(1)));
        }
        var added = new List<NewSignal>();
        using var appender = _store.Connection.CreateAppender("spc_signals");
        var now = _time.GetUtcNow();
        foreach (var p in chart.Points)
        {
            foreach (var s in p.Signals.Where(s => !known.Contains((p.Label, s))))
            {
                var meaning = Signals.Describe(s, tests);
                appender.CreateRow().AppendValue(now).AppendValue(key).AppendValue(config.Metric).AppendValue(node)
                    .AppendValue(string.Join("&", config.Segment)).AppendValue(chart.Name).AppendValue(chart.Transform)
                    .AppendValue(Signals.TestNumber(s)).AppendValue(s).AppendValue(p.Label).AppendValue(p.Index).AppendValue(p.PhaseOne ? "I" : "II")
                    .AppendValue(p.Value).AppendValue(p.Center).AppendValue(p.Lcl).AppendValue(p.Ucl).AppendValue(meaning).EndRow();
                added.Add(new NewSignal(key, p.Label, s, meaning));
            }
        }
        return added;
    }
}

/// <summary>A signal the monitor recorded.</summary>
/// <param name="DetectedUtc">When the monitor found it.</param>
/// <param name="ChartKey">The monitored chart (metric, node, chart, transform).</param>
/// <param name="Metric">node-latency, cycle-time or review-ratio.</param>
/// <param name="Node">The node, or null.</param>
/// <param name="Chart">The chart.</param>
/// <param name="Test">The special-cause test's number.</param>
/// <param name="Signal">The test's name.</param>
/// <param name="Point">The point's label (a week, a day or an order).</param>
/// <param name="Phase">I (limits computed) or II (monitored against them).</param>
/// <param name="Value">The point's value.</param>
/// <param name="Lcl">Lower control limit.</param>
/// <param name="Ucl">Upper control limit.</param>
/// <param name="Meaning">The signal in words.</param>
public sealed record RecordedSignal(DateTime DetectedUtc, string ChartKey, string Metric, string? Node, string Chart, int Test, string Signal, string Point,
    string Phase, double Value, double Lcl, double Ucl, string Meaning);
