using Analytics.Core.Calendars;

namespace Analytics.Core.WhatIf;

/// <summary>What happened (observed or simulated) to the cases that started in a period. Hours are business hours.</summary>
/// <param name="Cases">Cases that started in the period.</param>
/// <param name="P50Hours">Median end-to-end time.</param>
/// <param name="P90Hours">90th percentile of end-to-end time.</param>
/// <param name="MeanHours">Mean end-to-end time.</param>
/// <param name="ThroughputPerWeek">Of those cases, completed per week within the period.</param>
/// <param name="WorkInProgress">Of those cases, the mean number open over the period.</param>
/// <param name="SlaAttainment">Share ending within the SLA, when one is given.</param>
/// <param name="Nodes">Waiting before each activity (since the case's previous event).</param>
/// <param name="Roles">Waiting before the activities of each role.</param>
/// <param name="Utilisation">Busy share of each pooled role's working time (simulation only).</param>
public sealed record PeriodOutcome(int Cases, double P50Hours, double P90Hours, double MeanHours, double ThroughputPerWeek, double WorkInProgress,
    double? SlaAttainment, IReadOnlyList<NodeWait> Nodes, IReadOnlyList<NodeWait> Roles, IReadOnlyList<PoolUse> Utilisation)
{
    /// <summary>End-to-end business hours of every case, ascending (for distribution distances).</summary>
    internal double[] CycleHours { get; init; } = [];

    /// <summary>End-to-end wall-clock hours of every case in whole hours (1-hour bins, rounded down), ascending.</summary>
    internal double[] WallCycleBins { get; init; } = [];

    /// <summary>Events of the cases by local weekday (0 = Sunday) and hour of day: index weekday × 24 + hour.</summary>
    internal long[] Circadian { get; init; } = new long[7 * 24];

    /// <summary>Share of the cases that visited a node (activity or role), by name.</summary>
    public IReadOnlyDictionary<string, double> VisitShare { get; init; } = new Dictionary<string, double>();

    /// <summary>Summarises observed cases: the same measures the simulation reports, from the log.</summary>
    /// <param name="traces">Cases that started in <c>[fromUtc, toUtc)</c>.</param>
    /// <param name="calendar">Business calendar of the measures.</param>
    /// <param name="fromUtc">Start of the period (inclusive).</param>
    /// <param name="toUtc">End of the period (exclusive).</param>
    /// <param name="slaHours">Optional SLA in business hours.</param>
    public static PeriodOutcome Observe(IReadOnlyList<CaseTrace> traces, BusinessCalendar calendar, DateTime fromUtc, DateTime toUtc, double? slaHours)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(calendar);
        var cases = traces.Where(t => t.Events.Count > 0).ToList();
        var last = cases.Count == 0 ? toUtc : cases.Max(c => c.Events[^1].Utc);
        var clock = BusinessClock.Build(calendar, fromUtc.AddDays(-3), (last > toUtc ? last : toUtc).AddDays(3));
        var collector = new OutcomeCollector(clock, fromUtc, toUtc, slaHours, calendar.TimeZone);
        foreach (var c in cases)
        {
            var visits = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 1; i < c.Events.Count; i++)
            {
                var e = c.Events[i];
                collector.Wait(e.Activity, e.Role ?? e.Activity, c.Events[i - 1].Utc, e.Utc);
            }
            foreach (var e in c.Events)
            {
                visits.Add(e.Activity);
                visits.Add(e.Role ?? e.Activity);
            }
            collector.Case(c.Events[0].Utc, c.Events[^1].Utc, visits);
        }
        return collector.Result([]);
    }
}

/// <summary>Waiting before a node, business hours.</summary>
/// <param name="Node">Activity or role.</param>
/// <param name="Count">Occurrences.</param>
/// <param name="MeanWaitHours">Mean.</param>
/// <param name="P50WaitHours">Median.</param>
/// <param name="P90WaitHours">90th percentile.</param>
public sealed record NodeWait(string Node, int Count, double MeanWaitHours, double P50WaitHours, double P90WaitHours);

/// <summary>How busy a pool was.</summary>
/// <param name="Role">The role.</param>
/// <param name="Approvers">Pool size.</param>
/// <param name="Utilisation">Busy share of the approvers' working time in the period, 0–1.</param>
public sealed record PoolUse(string Role, int Approvers, double Utilisation);

/// <summary>Accumulates the measures of a <see cref="PeriodOutcome"/>, case by case.</summary>
internal sealed class OutcomeCollector
{
    private readonly BusinessClock _clock;
    private readonly DateTime _from;
    private readonly DateTime _to;
    private readonly double? _slaHours;
    private readonly TimeZoneInfo _zone;
    private readonly List<double> _cycle = [];
    private readonly List<double> _wallCycle = [];
    private readonly long[] _circadian = new long[7 * 24];
    private readonly Dictionary<string, List<double>> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<double>> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _visits = new(StringComparer.Ordinal);
    private int _completed;
    private double _openTicks;

    public OutcomeCollector(BusinessClock clock, DateTime fromUtc, DateTime toUtc, double? slaHours, TimeZoneInfo zone)
    {
        _zone = zone;
        _clock = clock;
        _from = fromUtc;
        _to = toUtc;
        _slaHours = slaHours;
    }

    public void Wait(string activity, string role, DateTime previousUtc, DateTime utc)
    {
        var hours = Math.Max(0, _clock.Between(previousUtc, utc)) / 3600;
        Event(utc);
        Add(_nodes, activity, hours);
        if (!string.Equals(role, activity, StringComparison.Ordinal))
            Add(_roles, role, hours);
    }

    public void Case(DateTime startUtc, DateTime endUtc, IEnumerable<string> visited)
    {
        _cycle.Add(Math.Max(0, _clock.Between(startUtc, endUtc)) / 3600);
        _wallCycle.Add(Math.Floor(Math.Max(0, (endUtc - startUtc).TotalHours)));
        Event(startUtc);
        if (endUtc < _to)
            _completed++;
        var openEnd = endUtc < _to ? endUtc : _to;
        if (openEnd > startUtc)
            _openTicks += (openEnd - startUtc).Ticks;
        foreach (var v in visited)
            _visits[v] = _visits.GetValueOrDefault(v) + 1;
    }

    private void Event(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);
        _circadian[(int)local.DayOfWeek * 24 + local.Hour]++;
    }

    public PeriodOutcome Result(IReadOnlyList<PoolUse> utilisation)
    {
        var cycle = _cycle.Order().ToArray();
        var weeks = (_to - _from).TotalDays / 7;
        var n = cycle.Length;
        return new PeriodOutcome(n, Q(cycle, 0.5), Q(cycle, 0.9), n == 0 ? double.NaN : cycle.Average(),
            weeks > 0 ? _completed / weeks : double.NaN,
            _to > _from ? _openTicks / (_to - _from).Ticks : double.NaN,
            _slaHours is { } sla && n > 0 ? cycle.Count(h => h <= sla) / (double)n : null,
            Waits(_nodes), Waits(_roles), utilisation)
        {
            CycleHours = cycle,
            WallCycleBins = [.. _wallCycle.Order()],
            Circadian = (long[])_circadian.Clone(),
            VisitShare = _visits.ToDictionary(v => v.Key, v => n == 0 ? 0 : v.Value / (double)n, StringComparer.Ordinal),
        };
    }

    private static List<NodeWait> Waits(Dictionary<string, List<double>> table) =>
        [.. table.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
        {
            var sorted = t.Value.Order().ToArray();
            return new NodeWait(t.Key, sorted.Length, sorted.Average(), Q(sorted, 0.5), Q(sorted, 0.9));
        })];

    private static double Q(double[] sorted, double p) => Mining.DurationSummary.Quantile(sorted, p);

    private static void Add(Dictionary<string, List<double>> table, string key, double value)
    {
        if (!table.TryGetValue(key, out var list))
            table[key] = list = [];
        list.Add(value);
    }
}
