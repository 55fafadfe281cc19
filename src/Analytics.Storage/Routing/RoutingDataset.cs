using Analytics.Core.Routing;
using Analytics.Storage.Mining;

namespace Analytics.Storage.Routing;

/// <summary>Reads every case at its routing decision from the store: decision instant, end, population, label, attributes.</summary>
public static class RoutingDataset
{
    /// <summary>Cases whose decision event came in the given file.</summary>
    public static IReadOnlySet<string> DecidedInFile(EventStore store, RoutingConfig config, int fileId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(config);
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = $"SELECT DISTINCT case_id FROM events WHERE file_id = {fileId} AND activity = {Sql.Literal(config.Decision)}";
        using var r = cmd.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read())
            set.Add(r.GetString(0));
        return set;
    }

    /// <summary>All cases that reached the decision point.</summary>
    /// <param name="store">The event store.</param>
    /// <param name="config">Decision point, population, label and the attributes to read.</param>
    /// <returns>The cases, in decision order.</returns>
    public static IReadOnlyList<DecisionCase> Read(EventStore store, RoutingConfig config)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(config);
        static string Matches(IEnumerable<string> activities) => "(" + string.Join(" OR ", activities.Select(a => a.Contains('%', StringComparison.Ordinal)
            ? $"e.activity ILIKE {Sql.Literal(a)}" : $"e.activity = {Sql.Literal(a)}")) + ")";
        var label = Matches(config.LabelActivities);
        // The label at the first visit: the first event after the decision that is a visit of the review node (one of
        // its activities, or a label activity) decides; a later visit's change counts only with labelVisit "any".
        var outcome = config.LabelVisit == LabelVisit.Any
            ? $"bool_or({label})"
            : $"arg_min({label}, (epoch_us(e.ts), e.file_id, e.seq)) FILTER (WHERE {Matches(config.ReviewActivities.Concat(config.LabelActivities))})";
        var population = config.PopulationConditions.Count == 0
            ? "true"
            : string.Join(" AND ", config.PopulationConditions.Select(c =>
                $"d.case_id IN (SELECT case_id FROM case_attributes WHERE key = {Sql.Literal(c.Key)} AND {ProcessMiner.Condition(c)})"));
        // Every attribute a suggestion needs: features, history keys, and the keys of the population and the
        // forced-review rules (without them every order would look outside the population).
        var keys = config.FeatureKeys.Concat(config.PopulationConditions.Select(c => c.Key))
            .Concat(config.ForceReview.Select(f => Core.Mining.AttributeCondition.Parse(f).Key)).Distinct().ToList();
        var attributes = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        if (keys.Count > 0)
        {
            using var cmd = store.Connection.CreateCommand();
            cmd.CommandText = $"SELECT case_id, key, value_type, text_value, number_value, bool_value FROM case_attributes WHERE key IN ({Sql.List(keys)})";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (!attributes.TryGetValue(r.GetString(0), out var map))
                    attributes[r.GetString(0)] = map = new Dictionary<string, object?>(StringComparer.Ordinal);
                map[r.GetString(1)] = r.GetString(2) switch
                {
                    "number" => r.IsDBNull(4) ? null : r.GetDouble(4),
                    "boolean" => r.IsDBNull(5) ? null : r.GetBoolean(5),
                    _ => r.IsDBNull(3) ? null : r.GetString(3),
                };
            }
        }
        var cases = new List<DecisionCase>();
        using (var cmd = store.Connection.CreateCommand())
        {
            // The decision is the first occurrence of the decision activity; the label looks only at what came after it.
            cmd.CommandText = $"""
                WITH d AS (SELECT case_id, min(ts) AS decision FROM events WHERE activity = {Sql.Literal(config.Decision)} GROUP BY case_id),
                e AS (SELECT case_id, max(ts) AS end_ts FROM events GROUP BY case_id),
                l AS (SELECT e.case_id, {outcome} AS label FROM events e JOIN d ON d.case_id = e.case_id AND e.ts >= d.decision GROUP BY e.case_id)
                SELECT d.case_id, d.decision, e.end_ts, coalesce(l.label, false), {population}
                FROM d JOIN e ON e.case_id = d.case_id LEFT JOIN l ON l.case_id = d.case_id
                ORDER BY d.decision, d.case_id
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var id = r.GetString(0);
                cases.Add(new DecisionCase(id, ((DateTime)r.GetValue(1)).ToUniversalTime(), ((DateTime)r.GetValue(2)).ToUniversalTime(), r.GetBoolean(4), r.GetBoolean(3),
                    attributes.TryGetValue(id, out var map) ? map : new Dictionary<string, object?>()));
            }
        }
        return cases;
    }
}
