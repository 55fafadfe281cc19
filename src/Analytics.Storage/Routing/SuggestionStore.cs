using System.Text.Json;
using Analytics.Core.Routing;
using DuckDB.NET.Data;

namespace Analytics.Storage.Routing;

/// <summary>Routing suggestions made by the worker, one per case and model version.</summary>
public sealed class SuggestionStore
{
    private readonly EventStore _store;

    /// <summary>Creates the store of suggestions.</summary>
    public SuggestionStore(EventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Case ids that already have a suggestion from this model version.</summary>
    public IReadOnlySet<string> Suggested(int modelVersion)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "SELECT case_id FROM routing_suggestions WHERE model_version = $1";
        cmd.Parameters.Add(new DuckDBParameter(modelVersion));
        using var r = cmd.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read())
            set.Add(r.GetString(0));
        return set;
    }

    /// <summary>The latest decision instant a model version made a suggestion for, or null.</summary>
    public DateTime? LatestDecision(int modelVersion) =>
        _store.Scalar("SELECT max(decided_at) FROM routing_suggestions WHERE model_version = $1", modelVersion) is DateTime t ? t.ToUniversalTime() : null;

    /// <summary>Suggestions of a model version for decisions in <c>[fromUtc, toUtc)</c>: case, route and what decided it.</summary>
    public IReadOnlyList<(string CaseId, string Route, string Why)> Between(int modelVersion, DateTime fromUtc, DateTime toUtc)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "SELECT case_id, route, why FROM routing_suggestions WHERE model_version = $1 AND decided_at >= $2 AND decided_at < $3";
        cmd.Parameters.Add(new DuckDBParameter(modelVersion));
        cmd.Parameters.Add(new DuckDBParameter(new DateTimeOffset(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), TimeSpan.Zero)));
        cmd.Parameters.Add(new DuckDBParameter(new DateTimeOffset(DateTime.SpecifyKind(toUtc, DateTimeKind.Utc), TimeSpan.Zero)));
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string, string)>();
        while (r.Read())
            list.Add((r.GetString(0), r.GetString(1), r.GetString(2)));
        return list;
    }

    /// <summary>Every suggestion of a model version, by case.</summary>
    public IReadOnlyDictionary<string, RoutingSuggestion> All(int modelVersion, double threshold)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "SELECT case_id, route, probability, why, reasons FROM routing_suggestions WHERE model_version = $1";
        cmd.Parameters.Add(new DuckDBParameter(modelVersion));
        using var r = cmd.ExecuteReader();
        var all = new Dictionary<string, RoutingSuggestion>(StringComparer.Ordinal);
        while (r.Read())
            all[r.GetString(0)] = new RoutingSuggestion(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetDouble(2), threshold, r.GetString(3),
                JsonSerializer.Deserialize<List<string>>(r.GetString(4)) ?? [], modelVersion);
        return all;
    }

    /// <summary>Records new suggestions (none may be recorded already: the caller knows), in one statement per 500; the caller's transaction makes them durable together.</summary>
    public void AddMany(IReadOnlyList<(RoutingSuggestion Suggestion, DateTime DecidedUtc)> suggestions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        foreach (var chunk in suggestions.Chunk(500))
        {
            using var cmd = _store.Connection.CreateCommand();
            var rows = new List<string>();
            foreach (var (s, decided) in chunk)
            {
                var at = cmd.Parameters.Count;
                rows.Add($"(${at + 1}, ${at + 2}, ${at + 3}, ${at + 4}, ${at + 5}, ${at + 6}, ${at + 7}, ${at + 8})");
                foreach (var v in new object[] { s.CaseId, s.ModelVersion, new DateTimeOffset(DateTime.SpecifyKind(decided, DateTimeKind.Utc), TimeSpan.Zero), s.Route,
                             s.Probability is { } p ? p : DBNull.Value, s.Why, JsonSerializer.Serialize(s.Reasons), now })
                    cmd.Parameters.Add(new DuckDBParameter(v));
            }
            // No ON CONFLICT: it doubles the cost of an insert, and a repeated suggestion is a bug to hear about.
            cmd.CommandText = "INSERT INTO routing_suggestions VALUES " + string.Join(", ", rows);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>The suggestion recorded for a case by a model version, or null.</summary>
    public RoutingSuggestion? Find(string caseId, int modelVersion, double threshold)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "SELECT route, probability, why, reasons FROM routing_suggestions WHERE case_id = $1 AND model_version = $2";
        cmd.Parameters.Add(new DuckDBParameter(caseId));
        cmd.Parameters.Add(new DuckDBParameter(modelVersion));
        using var r = cmd.ExecuteReader();
        if (!r.Read())
            return null;
        return new RoutingSuggestion(caseId, r.GetString(0), r.IsDBNull(1) ? null : r.GetDouble(1), threshold, r.GetString(2),
            JsonSerializer.Deserialize<List<string>>(r.GetString(3)) ?? [], modelVersion);
    }

    /// <summary>Records a suggestion.</summary>
    public void Add(RoutingSuggestion s, DateTime decidedUtc, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "INSERT INTO routing_suggestions VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";
        foreach (var v in new object[] { s.CaseId, s.ModelVersion, new DateTimeOffset(decidedUtc, TimeSpan.Zero), s.Route, s.Probability is { } p ? p : DBNull.Value, s.Why, JsonSerializer.Serialize(s.Reasons), now })
            cmd.Parameters.Add(new DuckDBParameter(v));
        cmd.ExecuteNonQuery();
    }
}
