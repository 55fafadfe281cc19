using System.Globalization;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Mining.Columnar;
using DuckDB.NET.Data;

namespace Analytics.Storage.Mining;

/// <summary>
/// Process-mining queries over the event store. The heavy work (ordering events in cases, pairing each event with
/// its predecessor, percentiles) runs as SQL inside DuckDB; business time comes from a cumulative clock per calendar
/// (<see cref="BusinessClock"/>) joined to the events with an ASOF join, so a business duration is one subtraction.
/// </summary>
/// <remarks>
/// Events of a case are ordered by a stable sort on timestamp: ties keep their order in the source file
/// (<c>ORDER BY ts, file_id, seq</c>). Durations are seconds. Not thread-safe (one store connection).
/// </remarks>
public sealed partial class ProcessMiner
{
    private const string Order = "ORDER BY ts, file_id, seq";

    private const string Partition = "PARTITION BY case_no " + Order;
    private readonly EventStore _store;

    /// <summary>Creates a miner over a store.</summary>
    public ProcessMiner(EventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    private DuckDBConnection Connection => _store.Connection;

    /// <summary>The directly-follows graph with per-edge performance, most frequent edge first.</summary>
    /// <param name="filter">Part of the log.</param>
    /// <param name="calendar">For business-time performance; <c>null</c> for wall clock only.</param>
    /// <returns>The edges.</returns>
    public IReadOnlyList<DfgEdge> DirectlyFollows(MiningFilter filter, BusinessCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // A log that fits comfortably in memory is paired and aggregated in one pass here: DuckDB's fixed cost of the
        // window and the grouped percentiles dominates on small logs. Large logs stay in SQL.
        if (InMemory(filter) is var (columns, scope))
            return ColumnarMiner.DirectlyFollows(columns, scope, calendar);
        var pairs = Pairs(filter, calendar);
        var business = calendar is null ? "" : ", " + SummarySql("business_seconds");
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"""
            {pairs}
            SELECT prev_activity, activity, count(*), count(DISTINCT case_no), {SummarySql("wall_seconds")}{business}
            FROM pairs WHERE prev_activity IS NOT NULL
            GROUP BY prev_activity, activity
            ORDER BY count(*) DESC, prev_activity, activity
            """;
        using var r = cmd.ExecuteReader();
        var edges = new List<DfgEdge>();
        while (r.Read())
            edges.Add(new DfgEdge(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), ReadSummary(r, 4), calendar is null ? null : ReadSummary(r, 10)));
        return edges;
    }

    /// <summary>Variants, most frequent first; ties by activity sequence.</summary>
    /// <param name="filter">Part of the log.</param>
    /// <returns>The variants.</returns>
    public IReadOnlyList<Variant> Variants(MiningFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (InMemory(filter) is var (columns, scope))
            return ColumnarMiner.Variants(columns, scope);
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"""
            WITH traces AS (SELECT case_id, list(activity {Order}) AS trace FROM ({Scope(filter)}) GROUP BY case_id)
            SELECT trace, count(*) AS n, count(*) / sum(count(*)) OVER () FROM traces GROUP BY trace ORDER BY n DESC, trace
            """;
        using var r = cmd.ExecuteReader();
        var variants = new List<Variant>();
        while (r.Read())
            variants.Add(new Variant(((IEnumerable<object>)r.GetValue(0)).Select(o => (string)o).ToList(), r.GetInt64(1), r.GetDouble(2)));
        return variants;
    }

    /// <summary>Case throughput times (last minus first event), start and end activities.</summary>
    /// <param name="filter">Part of the log.</param>
    /// <param name="calendar">For business-time throughput (its default hours); <c>null</c> for wall clock only.</param>
    /// <returns>The summary.</returns>
    public CaseDurations Cases(MiningFilter filter, BusinessCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var clock = calendar is null ? null : PrepareClock(filter, calendar with { Roles = new Dictionary<string, BusinessCalendar>(), Resources = new Dictionary<string, BusinessCalendar>() });
        var clocked = clock is null
            ? "SELECT *, NULL::DOUBLE AS b0, NULL::DOUBLE AS b1 FROM c"
            : $"SELECT * FROM ({AsofClock(AsofClock("c", "first_ts", "''", "b0"), "last_ts", "''", "b1")})";
        var cases = $"""
            WITH c AS (
                SELECT case_id, min(ts) AS first_ts, max(ts) AS last_ts,
                       arg_min(activity, (ts, file_id, seq)) AS start_activity, arg_max(activity, (ts, file_id, seq)) AS end_activity
                FROM ({Scope(filter)}) GROUP BY case_id),
            d AS (SELECT *, (epoch_us(last_ts) - epoch_us(first_ts)) / 1e6 AS wall_seconds FROM ({clocked}))
            """;
        DurationSummary wall;
        DurationSummary? business = null;
        long count;
        var percentiles = new SortedDictionary<int, double>();
        int[] ps = [10, 25, 50, 75, 90, 95, 99];
        using (var cmd = Connection.CreateCommand())
        {
            cmd.CommandText = $"""
                {cases}
                SELECT count(*), {SummarySql("wall_seconds")}{(clock is null ? "" : ", " + SummarySql("b1 - b0"))},
                       {string.Join(", ", ps.Select(p => $"quantile_cont(wall_seconds, {(p / 100.0).ToString(CultureInfo.InvariantCulture)})"))}
                FROM d
                """;
            using var r = cmd.ExecuteReader();
            r.Read();
            count = r.GetInt64(0);
            wall = ReadSummary(r, 1);
            var next = 7;
            if (clock is not null)
            {
                business = ReadSummary(r, 7);
                next = 13;
            }
            for (var i = 0; i < ps.Length; i++)
                percentiles[ps[i]] = r.IsDBNull(next + i) ? 0 : r.GetDouble(next + i);
        }
        var starts = Counts($"{cases} SELECT start_activity, count(*) FROM d GROUP BY 1 ORDER BY 2 DESC, 1");
        var ends = Counts($"{cases} SELECT end_activity, count(*) FROM d GROUP BY 1 ORDER BY 2 DESC, 1");
        return new CaseDurations(count, wall, business, percentiles, starts, ends);
    }

    /// <summary>
    /// Per-node latency: waiting before each node (since the previous event of the case) and processing time where the
    /// log has start and complete lifecycles; overall per node, and by role and by resource. Sorted by total waiting, largest first.
    /// </summary>
    /// <param name="filter">Part of the log.</param>
    /// <param name="calendar">For business-time waiting, per role and resource as the calendar says; <c>null</c> for wall clock only.</param>
    /// <param name="by"><c>node</c>, <c>role</c> or <c>resource</c>.</param>
    /// <returns>The latencies with each node's share of all waiting (a Pareto when read in order).</returns>
    public IReadOnlyList<NodeLatency> Nodes(MiningFilter filter, BusinessCalendar? calendar, string by = "node")
    {
        ArgumentNullException.ThrowIfNull(filter);
        var groupColumns = by switch
        {
            "node" => "NULL::VARCHAR AS g_role, NULL::VARCHAR AS g_resource",
            "role" => "role AS g_role, NULL::VARCHAR AS g_resource",
            "resource" => "NULL::VARCHAR AS g_role, resource AS g_resource",
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, "expected node, role or resource"),
        };
        var pairs = Pairs(filter, calendar);
        var shareOf = calendar is null ? "wall_seconds" : "business_seconds";
        var business = calendar is null ? "" : ", " + SummarySql("business_seconds");
        using var cmd = Connection.CreateCommand();
        // An event that completes an activity the same case started just before is processing, not waiting.
        cmd.CommandText = $"""
            {pairs},
            classified AS (
                SELECT *, {groupColumns},
                       lower(coalesce(lifecycle, '')) = 'complete' AND lower(coalesce(prev_lifecycle, '')) = 'start' AND prev_activity = activity AS is_processing
                FROM pairs WHERE prev_activity IS NOT NULL)
            SELECT activity, g_role, g_resource,
                   {SummarySql("CASE WHEN NOT is_processing THEN wall_seconds END")}{business.Replace("business_seconds", "CASE WHEN NOT is_processing THEN business_seconds END", StringComparison.Ordinal)},
                   {SummarySql("CASE WHEN is_processing THEN wall_seconds END")},
                   sum(CASE WHEN NOT is_processing THEN {shareOf} END) / sum(sum(CASE WHEN NOT is_processing THEN {shareOf} END)) OVER () AS share
            FROM classified
            GROUP BY activity, g_role, g_resource
            ORDER BY sum(CASE WHEN NOT is_processing THEN {shareOf} END) DESC NULLS LAST, activity, g_role, g_resource
            """;
        using var r = cmd.ExecuteReader();
        var nodes = new List<NodeLatency>();
        while (r.Read())
        {
            var businessSummary = calendar is null ? null : ReadSummary(r, 9);
            var processingAt = calendar is null ? 9 : 15;
            var processing = r.GetInt64(processingAt) > 0 ? ReadSummary(r, processingAt) : null;
            nodes.Add(new NodeLatency(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                ReadSummary(r, 3), businessSummary, processing, r.IsDBNull(processingAt + 6) ? 0 : r.GetDouble(processingAt + 6)));
        }
        return nodes;
    }

    /// <summary>Rework: repeated activities, rejection → resubmission loops, first-pass yield.</summary>
    /// <param name="filter">Part of the log.</param>
    /// <param name="rejectionPattern">A case-insensitive SQL LIKE pattern naming rejection activities, e.g. <c>%reject%</c>.</param>
    /// <returns>The summary.</returns>
    public ReworkSummary Rework(MiningFilter filter, string rejectionPattern = "%reject%")
    {
        ArgumentNullException.ThrowIfNull(filter);
        var scope = $"""
            WITH s AS (SELECT case_id, activity, row_number() OVER ({Partition}) AS pos FROM ({Scope(filter)})),
            occ AS (SELECT case_id, activity, count(*) AS n FROM s GROUP BY ALL),
            rej AS (SELECT case_id, pos FROM s WHERE activity ILIKE {Sql.Literal(rejectionPattern)}),
            loops AS (
                SELECT DISTINCT r.case_id, r.pos FROM rej r
                JOIN s later ON later.case_id = r.case_id AND later.pos > r.pos
                JOIN s earlier ON earlier.case_id = r.case_id AND earlier.pos < r.pos AND earlier.activity = later.activity),
            per_case AS (
                SELECT c.case_id, bool_or(o.n > 1) AS reworked, c.case_id IN (SELECT case_id FROM rej) AS rejected
                FROM (SELECT DISTINCT case_id FROM s) c JOIN occ o USING (case_id) GROUP BY c.case_id)
            """;
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"""
            {scope}
            SELECT count(*), coalesce(avg(CASE WHEN NOT reworked AND NOT rejected THEN 1.0 ELSE 0.0 END), 0),
                   count(*) FILTER (WHERE reworked), count(*) FILTER (WHERE rejected), (SELECT count(*) FROM loops)
            FROM per_case
            """;
        long cases, reworked, rejected, loops;
        double fpy;
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            (cases, fpy, reworked, rejected, loops) = (r.GetInt64(0), r.GetDouble(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
        }
        var repeated = new List<RepeatedActivity>();
        cmd.CommandText = $"{scope} SELECT activity, count(*), sum(n - 1)::BIGINT FROM occ WHERE n > 1 GROUP BY activity ORDER BY 3 DESC, 1";
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                repeated.Add(new RepeatedActivity(r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        return new ReworkSummary(cases, fpy, reworked, rejected, loops, repeated);
    }

    /// <summary>SQL of the events in scope: every column of <c>events</c> but the attributes.</summary>
    internal static string Scope(MiningFilter filter)
    {
        var where = new List<string>();
        if (filter.Activities is { Count: > 0 } activities)
            where.Add($"activity IN ({Sql.List(activities)})");
        if (filter.ExcludeActivities.Count > 0)
            where.Add($"activity NOT IN ({Sql.List(filter.ExcludeActivities)})");
        if (filter.FromUtc is not null || filter.ToUtc is not null)
        {
            var window = new List<string>();
            if (filter.FromUtc is { } from) window.Add($"first_ts >= {Sql.Timestamp(from)}");
            if (filter.ToUtc is { } to) window.Add($"first_ts < {Sql.Timestamp(to)}");
            where.Add($"case_id IN (SELECT case_id FROM (SELECT case_id, min(ts) AS first_ts FROM events GROUP BY case_id) WHERE {string.Join(" AND ", window)})");
        }
        if (filter.EndedFromUtc is not null || filter.EndedToUtc is not null)
        {
            var window = new List<string>();
            if (filter.EndedFromUtc is { } from) window.Add($"last_ts >= {Sql.Timestamp(from)}");
            if (filter.EndedToUtc is { } to) window.Add($"last_ts < {Sql.Timestamp(to)}");
            where.Add($"case_id IN (SELECT case_id FROM (SELECT case_id, max(ts) AS last_ts FROM events GROUP BY case_id) WHERE {string.Join(" AND ", window)})");
        }
        foreach (var c in filter.CaseAttributes)
            where.Add($"case_id IN (SELECT case_id FROM case_attributes WHERE key = {Sql.Literal(c.Key)} AND {Condition(c)})");
        if (filter.CompletionsOnly)
            where.Add("(lifecycle IS NULL OR lower(lifecycle) = 'complete' OR NOT EXISTS (SELECT 1 FROM events WHERE lower(lifecycle) = 'complete'))");
        if (filter.SampleCases is { } sample)
            where.Add($"hash(case_no) % greatest(1, CAST(ceil((SELECT count(*) FROM cases) / {Math.Max(1, sample).ToString(CultureInfo.InvariantCulture)}.0) AS UBIGINT)) = 0");
        // Event attributes (JSON text) are left out: no analysis here reads them, and carrying them through sorts costs.
        return "SELECT case_id, case_no, activity, ts, resource, role, lifecycle, file_id, seq FROM events" + (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where));
    }

    internal static string Condition(AttributeCondition c)
    {
        var op = c.Operator == "!=" ? "<>" : c.Operator;
        var text = $"(value_type = 'string' AND text_value {op} {Sql.Literal(c.Value)})";
        if (double.TryParse(c.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return $"((value_type = 'number' AND number_value {op} {number.ToString("R", CultureInfo.InvariantCulture)}) OR {text})";
        if (bool.TryParse(c.Value, out var flag))
            return $"((value_type = 'boolean' AND bool_value {op} {(flag ? "true" : "false")}) OR {text})";
        return text;
    }

    /// <summary>A CTE named <c>pairs</c>: each event with its predecessor in the case, wall and business seconds between them.</summary>
    private string Pairs(MiningFilter filter, BusinessCalendar? calendar)
    {
        // One global sort by (case number, stable time order) is cheaper than partitioning on text ids; a predecessor
        // counts only within the same case.
        var ordered = $"""
            WITH ordered AS (
                SELECT case_id, case_no, activity, ts, role, resource, lifecycle,
                       CASE WHEN lag(case_no) OVER w = case_no THEN lag(activity) OVER w END AS prev_activity,
                       CASE WHEN lag(case_no) OVER w = case_no THEN lag(ts) OVER w END AS prev_ts,
                       CASE WHEN lag(case_no) OVER w = case_no THEN lag(lifecycle) OVER w END AS prev_lifecycle
                FROM ({Scope(filter)}) WINDOW w AS (ORDER BY case_no, ts, file_id, seq))
            """;
        if (calendar is null)
            return ordered + ", pairs AS (SELECT *, (epoch_us(ts) - epoch_us(prev_ts)) / 1e6 AS wall_seconds FROM ordered)";
        var clock = PrepareClock(filter, calendar);
        if (calendar.Roles.Count == 0 && calendar.Resources.Count == 0)
        {
            // One calendar for every event: read the clock once per event and take the predecessor's reading with lag().
            return $"""
                WITH clocked AS ({AsofClock($"({Scope(filter)})", "ts", "''", "clock_ts")}),
                ordered AS (
                    SELECT case_id, case_no, activity, ts, role, resource, lifecycle, clock_ts,
                           CASE WHEN lag(case_no) OVER w = case_no THEN lag(activity) OVER w END AS prev_activity,
                           CASE WHEN lag(case_no) OVER w = case_no THEN lag(ts) OVER w END AS prev_ts,
                           CASE WHEN lag(case_no) OVER w = case_no THEN lag(lifecycle) OVER w END AS prev_lifecycle,
                           CASE WHEN lag(case_no) OVER w = case_no THEN lag(clock_ts) OVER w END AS clock_prev
                    FROM clocked WINDOW w AS (ORDER BY case_no, ts, file_id, seq)),
                pairs AS (SELECT *, (epoch_us(ts) - epoch_us(prev_ts)) / 1e6 AS wall_seconds, clock_ts - clock_prev AS business_seconds FROM ordered)
                """;
        }
        // The waiting before an event is measured on that event's calendar, so both instants are read on it.
        return ordered + $"""
            , keyed AS (SELECT *, {clock} AS clock_key FROM ordered),
            pairs AS (
                SELECT *, (epoch_us(ts) - epoch_us(prev_ts)) / 1e6 AS wall_seconds, clock_ts - clock_prev AS business_seconds
                FROM ({AsofClock(AsofClock("keyed", "ts", "clock_key", "clock_ts"), "prev_ts", "clock_key", "clock_prev")}))
            """;
    }

    private static string SummarySql(string x) =>
        $"count({x}), avg({x}), quantile_cont({x}, [0.5, 0.9, 0.95]), min({x}), max({x}), stddev_samp({x})";

    /// <summary>Reads the columns of <see cref="SummarySql"/>: count, mean, [median, p90, p95], min, max, stdev; 6 columns.</summary>
    private static DurationSummary ReadSummary(System.Data.Common.DbDataReader r, int at)
    {
        double D(int i) => r.IsDBNull(at + i) ? 0 : Convert.ToDouble(r.GetValue(at + i), CultureInfo.InvariantCulture);
        var q = r.IsDBNull(at + 2) ? [0.0, 0.0, 0.0] : ((System.Collections.IEnumerable)r.GetValue(at + 2)).Cast<object>().Select(o => Convert.ToDouble(o, CultureInfo.InvariantCulture)).ToArray();
        return new DurationSummary(r.GetInt64(at), D(1), q[0], q[1], q[2], D(3), D(4), r.IsDBNull(at + 5) ? null : r.GetDouble(at + 5));
    }

    private Dictionary<string, long> Counts(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (r.Read())
            counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }
}
