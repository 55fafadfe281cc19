using System.Globalization;
using Analytics.Core.Notifications;

namespace Analytics.Storage.Notifications;

/// <summary>What node-change notices read from the store: a file's new events with each case's requester, and who holds a case after each activity.</summary>
public sealed class NodeChangeReader
{
    private readonly EventStore _store;

    /// <summary>Creates a reader.</summary>
    public NodeChangeReader(EventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>The events a file added (side activities left out), in time order per case, each with its case's requester.</summary>
    /// <param name="fileId">The file.</param>
    /// <param name="exclude">Activities recorded beside the flow.</param>
    /// <param name="requesterAttribute">A case attribute holding the requester's user id, or null.</param>
    public IReadOnlyList<CaseEvent> NewEvents(int fileId, IReadOnlyList<string> exclude, string? requesterAttribute)
    {
        ArgumentNullException.ThrowIfNull(exclude);
        var side = exclude.Count == 0 ? "" : $" AND activity NOT IN ({Sql.List(exclude)})";
        var file = fileId.ToString(CultureInfo.InvariantCulture);
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = $"""
            WITH touched AS (SELECT DISTINCT case_id FROM events WHERE file_id = {file}),
                 first AS (SELECT case_id, arg_min(resource, (ts, seq)) AS requester FROM events WHERE case_id IN (SELECT case_id FROM touched){side} GROUP BY case_id)
            SELECT e.case_id, e.seq, e.activity, e.ts, e.resource, f.requester, {(requesterAttribute is null ? "NULL" : "a.text_value")}
            FROM events e JOIN first f USING (case_id)
            {(requesterAttribute is null ? "" : $"LEFT JOIN case_attributes a ON a.case_id = e.case_id AND a.key = {Sql.Literal(requesterAttribute)}")}
            WHERE e.file_id = {file}{side.Replace("activity", "e.activity", StringComparison.Ordinal)}
            ORDER BY e.case_id, e.ts, e.seq
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<CaseEvent>();
        while (r.Read())
            list.Add(new CaseEvent(r.GetString(0), r.GetInt64(1), r.GetString(2), ((DateTime)r.GetValue(3)).ToUniversalTime(),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
        return list;
    }

    /// <summary>
    /// For each activity, the role that holds a case after it: the role that most often records the activity that follows
    /// it, over the cases of the last 180 days of the log; no entry when cases most often end there.
    /// </summary>
    public IReadOnlyDictionary<string, string> NextRoles(IReadOnlyList<string> exclude)
    {
        ArgumentNullException.ThrowIfNull(exclude);
        var side = exclude.Count == 0 ? "" : $" AND activity NOT IN ({Sql.List(exclude)})";
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = $"""
            WITH recent AS (SELECT case_id, activity, role, ts, seq FROM events
                            WHERE ts >= (SELECT max(ts) - INTERVAL 180 DAY FROM events){side}),
                 steps AS (SELECT activity, lead(role) OVER (PARTITION BY case_id ORDER BY ts, seq) AS next_role,
                                  lead(activity) OVER (PARTITION BY case_id ORDER BY ts, seq) AS next_activity FROM recent)
            SELECT activity, coalesce(next_role, CASE WHEN next_activity IS NULL THEN NULL ELSE '' END) AS next, count(*) AS n
            FROM steps GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2
            """;
        using var r = cmd.ExecuteReader();
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read())
        {
            var activity = r.GetString(0);
            if (!seen.Add(activity))
                continue; // the most frequent successor only
            if (!r.IsDBNull(1) && r.GetString(1).Length > 0)
                next[activity] = r.GetString(1);
        }
        return next;
    }
}
