using Analytics.Core.Calendars;
using Analytics.Core.Mining;

namespace Analytics.Storage.Mining;

/// <summary>Queries behind the weekly report: counts, open cases, slowest cases, recorded SPC signals.</summary>
public sealed partial class ProcessMiner
{
    /// <summary>Number of cases in scope.</summary>
    public long CaseCount(MiningFilter filter) =>
        Convert.ToInt64(_store.Scalar($"SELECT count(DISTINCT case_id) FROM ({Scope(filter)})"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Cases started before <paramref name="atUtc"/> whose last event lies at or after it (still open then), oldest first.</summary>
    public IReadOnlyList<(string CaseId, DateTime FirstUtc, string LastActivity)> OpenCases(DateTime atUtc, int limit)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT case_id, min(ts), arg_max(activity, ts) FILTER (WHERE ts < {Sql.Timestamp(atUtc)})
            FROM events GROUP BY case_id
            HAVING min(ts) < {Sql.Timestamp(atUtc)} AND max(ts) >= {Sql.Timestamp(atUtc)}
            ORDER BY min(ts), case_id LIMIT {Math.Min(limit, 10_000_000)}
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<(string, DateTime, string)>();
        while (r.Read())
            list.Add((r.GetString(0), ((DateTime)r.GetValue(1)).ToUniversalTime(), r.IsDBNull(2) ? "" : r.GetString(2)));
        return list;
    }

    /// <summary>The slowest cases in scope by business throughput, with their last activity.</summary>
    public IReadOnlyList<(string CaseId, double Seconds, string LastActivity)> SlowestCases(MiningFilter filter, BusinessCalendar calendar, int limit)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var ids = CaseThroughputIds(filter, calendar).OrderByDescending(c => c.Seconds).Take(limit).ToList();
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"SELECT case_id, arg_max(activity, ts) FROM events WHERE case_id IN ({Sql.List(ids.Select(i => i.CaseId))}) GROUP BY case_id";
        var activities = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ids.Count > 0)
        {
            using var r = cmd.ExecuteReader();
            while (r.Read())
                activities[r.GetString(0)] = r.GetString(1);
        }
        return ids.Select(i => (i.CaseId, i.Seconds, activities.GetValueOrDefault(i.CaseId, ""))).ToList();
    }

    /// <summary>SPC signals recorded for a period label (e.g. an ISO week), with the chart they belong to.</summary>
    public IReadOnlyList<(string ChartKey, string Metric, string? Node, string Chart, string Signal, double Value)> SignalsForPeriod(string label)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"SELECT chart_key, metric, node, chart, signal, value FROM spc_signals WHERE point_label = {Sql.Literal(label)} ORDER BY chart_key, test";
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string, string?, string, string, double)>();
        while (r.Read())
            list.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetDouble(5)));
        return list;
    }

    private List<(string CaseId, double Seconds)> CaseThroughputIds(MiningFilter filter, BusinessCalendar calendar)
    {
        var cases = $"SELECT case_id, min(ts) AS first_ts, max(ts) AS last_ts FROM ({Scope(filter)}) GROUP BY case_id";
        PrepareClock(filter, calendar with { Roles = new Dictionary<string, BusinessCalendar>(), Resources = new Dictionary<string, BusinessCalendar>() });
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"SELECT case_id, b1 - b0 FROM ({AsofClock(AsofClock($"({cases})", "first_ts", "''", "b0"), "last_ts", "''", "b1")})";
        using var r = cmd.ExecuteReader();
        var list = new List<(string, double)>();
        while (r.Read())
            list.Add((r.GetString(0), r.GetDouble(1)));
        return list;
    }
}
