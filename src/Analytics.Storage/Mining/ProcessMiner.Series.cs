using Analytics.Core.Calendars;
using Analytics.Core.Mining;

namespace Analytics.Storage.Mining;

/// <summary>Per-order series for control charts: waiting before a node, case throughput, cases that visit a node.</summary>
public sealed partial class ProcessMiner
{
    /// <summary>Waiting before each occurrence of the node(s): the instant of the event and the seconds since the case's previous event.</summary>
    /// <param name="filter">Part of the log.</param>
    /// <param name="calendar">Business seconds on this calendar; <c>null</c> for wall clock.</param>
    /// <param name="node">An activity, or a case-insensitive LIKE pattern when it contains '%'.</param>
    /// <returns>(event instant UTC, seconds) in time order.</returns>
    public IReadOnlyList<(DateTime Utc, double Seconds)> NodeWaits(MiningFilter filter, BusinessCalendar? calendar, string node)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var seconds = calendar is null ? "wall_seconds" : "business_seconds";
        return Series($"{Pairs(filter, calendar)} SELECT ts, {seconds} FROM pairs WHERE prev_activity IS NOT NULL AND {Match("activity", node)} ORDER BY ts");
    }

    /// <summary>Throughput of each case (last event minus first), at the instant the case ended.</summary>
    public IReadOnlyList<(DateTime Utc, double Seconds)> CaseThroughputs(MiningFilter filter, BusinessCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var cases = $"SELECT case_id, min(ts) AS first_ts, max(ts) AS last_ts FROM ({Scope(filter)}) GROUP BY case_id";
        if (calendar is null)
            return Series($"SELECT last_ts, (epoch_us(last_ts) - epoch_us(first_ts)) / 1e6 FROM ({cases}) ORDER BY last_ts");
        PrepareClock(filter, calendar with { Roles = new Dictionary<string, BusinessCalendar>(), Resources = new Dictionary<string, BusinessCalendar>() });
        return Series($"SELECT last_ts, b1 - b0 FROM ({AsofClock(AsofClock($"({cases})", "first_ts", "''", "b0"), "last_ts", "''", "b1")}) ORDER BY last_ts");
    }

    /// <summary>Each case's start instant and whether it visited the node(s) (e.g. went to PM review, or was rejected).</summary>
    public IReadOnlyList<(DateTime Utc, bool Visited)> CasesVisiting(MiningFilter filter, string node)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"SELECT min(ts), bool_or({Match("activity", node)}) FROM ({Scope(filter)}) GROUP BY case_id ORDER BY 1";
        using var r = cmd.ExecuteReader();
        var result = new List<(DateTime, bool)>();
        while (r.Read())
            result.Add((((DateTime)r.GetValue(0)).ToUniversalTime(), r.GetBoolean(1)));
        return result;
    }

    /// <summary>The distinct activities in scope, most frequent first.</summary>
    public IReadOnlyList<string> Activities(MiningFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Counts($"SELECT activity, count(*) FROM ({Scope(filter)}) GROUP BY 1 ORDER BY 2 DESC, 1").Keys.ToList();
    }

    /// <summary>Whether the log records lifecycle transitions besides completions (start, schedule, …) next to completions.</summary>
    public bool HasLifecycleTransitions()
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FILTER (WHERE lower(lifecycle) = 'complete') > 0 AND count(*) FILTER (WHERE lifecycle IS NOT NULL AND lower(lifecycle) <> 'complete') > 0 FROM events";
        return cmd.ExecuteScalar() is true;
    }

    /// <summary>The case attributes the store holds, with how many cases carry each.</summary>
    public IReadOnlyDictionary<string, long> CaseAttributeKeys() => Counts("SELECT key, count(*) FROM case_attributes GROUP BY key");

    /// <summary>The value types each case attribute is stored with (number, boolean, timestamp, string).</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> CaseAttributeTypes()
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT key, value_type FROM case_attributes";
        using var r = cmd.ExecuteReader();
        var types = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        while (r.Read())
        {
            if (!types.TryGetValue(r.GetString(0), out var set))
                types[r.GetString(0)] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(r.GetString(1));
        }
        return types.ToDictionary(t => t.Key, t => (IReadOnlySet<string>)t.Value, StringComparer.Ordinal);
    }

    /// <summary>SQL matching a node: an activity, a case-insensitive LIKE pattern with '%', or several of them separated by '|'.</summary>
    internal static string Match(string column, string node)
    {
        var parts = node.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.Contains('%', StringComparison.Ordinal) ? $"{column} ILIKE {Sql.Literal(n)}" : $"{column} = {Sql.Literal(n)}").ToList();
        return parts.Count == 0 ? "false" : "(" + string.Join(" OR ", parts) + ")";
    }

    private List<(DateTime, double)> Series(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var result = new List<(DateTime, double)>();
        while (r.Read())
            if (!r.IsDBNull(1))
                result.Add((((DateTime)r.GetValue(0)).ToUniversalTime(), r.GetDouble(1)));
        return result;
    }
}
