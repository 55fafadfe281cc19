using System.Globalization;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;

namespace Analytics.Storage.Mining;

/// <summary>The directly-follows graph of a small log, paired and aggregated in memory.</summary>
public sealed partial class ProcessMiner
{
    /// <summary>Logs up to this many events are mined in memory by <see cref="DirectlyFollows"/>.</summary>
    internal const long InMemoryDfgEvents = 2_000_000;

    /// <summary>The limit in force (tests lower it to compare the two paths).</summary>
    internal long InMemoryDfgLimit { get; set; } = InMemoryDfgEvents;

    /// <summary>
    /// The same result as the SQL path: events in stable time order per case (DuckDB sorts them), each event paired
    /// with its predecessor in the case, and per edge the count, distinct cases and the duration summary (R type 7
    /// percentiles, sample standard deviation). Business seconds are read on the calendar of the later event's
    /// resource or role, both instants on the same clock.
    /// </summary>
    private List<DfgEdge> DirectlyFollowsInMemory(MiningFilter filter, BusinessCalendar? calendar, string version)
    {
        var overrides = calendar is not null && (calendar.Roles.Count > 0 || calendar.Resources.Count > 0);
        var rows = SortedEvents(filter, overrides ? calendar : null, version);
        var edges = new Dictionary<long, EdgeAccumulator>();
        var clocks = new Dictionary<BusinessCalendar, BusinessClock>(ReferenceEqualityComparer.Instance);
        if (calendar is not null && rows.Count > 0)
        {
            var from = DateTime.UnixEpoch.AddTicks(rows.Min(x => x.Micros) * 10);
            var to = DateTime.UnixEpoch.AddTicks(rows.Max(x => x.Micros) * 10);
            foreach (var c in rows.Select(x => x.Calendar ?? calendar).Distinct(ReferenceEqualityComparer.Instance).Cast<BusinessCalendar>())
                clocks[c] = BusinessClock.Build(c, from, to);
        }
        for (var i = 1; i < rows.Count; i++)
        {
            var (caseNo, activity, micros, roleOwn) = rows[i];
            var own = calendar is null ? null : roleOwn ?? calendar;
            var prev = rows[i - 1];
            if (prev.Case != caseNo)
                continue;
            var key = ((long)prev.Activity << 32) | (uint)activity;
            if (!edges.TryGetValue(key, out var edge))
                edges[key] = edge = new EdgeAccumulator(prev.Activity, activity, calendar is not null);
            edge.Add(caseNo, (micros - prev.Micros) / 1e6, own is null ? double.NaN
                : clocks[own].Between(DateTime.UnixEpoch.AddTicks(prev.Micros * 10), DateTime.UnixEpoch.AddTicks(micros * 10)));
        }
        var byId = rows.Count == 0 ? [] : _snapshotNames;
        return [.. edges.Values
            .Select(e => new DfgEdge(byId[e.From], byId[e.To], e.Wall.Count, e.Cases, Summarise(e.Wall), e.Business is null ? null : Summarise(e.Business)))
            .OrderByDescending(e => e.Count).ThenBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The events in scope in stable time order per case: case number, activity index, instant (µs), and with role or
    /// resource calendars the calendar of each event. The whole log (no filter, no per-event calendars) is kept between
    /// calls as a snapshot, like a log held in memory, and read again when the store has changed.
    /// </summary>
    private List<(long Case, int Activity, long Micros, BusinessCalendar? Calendar)> SortedEvents(MiningFilter filter, BusinessCalendar? withOverrides, string version)
    {
        var whole = filter is { FromUtc: null, ToUtc: null, EndedFromUtc: null, EndedToUtc: null, Activities: null, ExcludeActivities.Count: 0, CaseAttributes.Count: 0, SampleCases: null };
        if (whole && withOverrides is null && _snapshot is not null && _snapshotVersion == version)
            return _snapshot;
        var names = new List<string>();
        using (var n = Connection.CreateCommand())
        {
            n.CommandText = "SELECT DISTINCT activity FROM events ORDER BY 1";
            using var r = n.ExecuteReader();
            while (r.Read())
                names.Add(r.GetString(0));
        }
        // Activities travel as small integers: reading a string per event costs more than the pairing itself.
        var roleColumns = withOverrides is null ? "" : ", s.role, s.resource";
        using var cmd = Connection.CreateCommand();
        cmd.CommandText =
            $"SELECT s.case_no, a.id, epoch_us(s.ts){roleColumns} FROM ({Scope(filter)}) s " +
            "JOIN (SELECT activity, (row_number() OVER (ORDER BY activity) - 1)::INTEGER AS id FROM (SELECT DISTINCT activity FROM events)) a USING (activity) " +
            "ORDER BY s.case_no, s.ts, s.file_id, s.seq";
        var rows = new List<(long, int, long, BusinessCalendar?)>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                BusinessCalendar? own = null;
                if (withOverrides is not null)
                {
                    var role = r.IsDBNull(3) ? null : r.GetString(3);
                    var resource = r.IsDBNull(4) ? null : r.GetString(4);
                    own = resource is not null && withOverrides.Resources.TryGetValue(resource, out var byResource) ? byResource
                        : role is not null && withOverrides.Roles.TryGetValue(role, out var byRole) ? byRole : null;
                }
                rows.Add((r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), own));
            }
        }
        _snapshotNames = [.. names];
        if (whole && withOverrides is null)
        {
            _snapshot = rows;
            _snapshotVersion = version;
        }
        return rows;
    }

    /// <summary>The number of events and a version of the store's content: events arrive a whole file at a time, each with a new file id, and are never removed.</summary>
    private (long Events, string Version) StoreVersion()
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT count(*), coalesce(max(file_id), 0) FROM events";
        using var r = cmd.ExecuteReader();
        r.Read();
        var events = r.GetInt64(0);
        return (events, string.Create(CultureInfo.InvariantCulture, $"{events}:{r.GetValue(1)}"));
    }

    private List<(long Case, int Activity, long Micros, BusinessCalendar? Calendar)>? _snapshot;
    private string? _snapshotVersion;
    private string[] _snapshotNames = [];

    private static DurationSummary Summarise(List<double> values)
    {
        values.Sort();
        return DurationSummary.OfSorted(values);
    }

    private sealed class EdgeAccumulator(int from, int to, bool business)
    {
        private long _lastCase = long.MinValue;

        public int From { get; } = from;
        public int To { get; } = to;
        public long Cases { get; private set; }
        public List<double> Wall { get; } = [];
        public List<double>? Business { get; } = business ? [] : null;

        public void Add(long caseNo, double wall, double businessSeconds)
        {
            if (caseNo != _lastCase)
            {
                Cases++;
                _lastCase = caseNo;
            }
            Wall.Add(wall);
            Business?.Add(businessSeconds);
        }
    }
}
