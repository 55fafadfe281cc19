using System.Globalization;
using Analytics.Core.Mining;
using Analytics.Core.WhatIf;

namespace Analytics.Storage.Mining;

/// <summary>Whole cases for the what-if analysis: each case's events in stable time order, with its attributes.</summary>
public sealed partial class ProcessMiner
{
    /// <summary>The cases in scope, each with its events (ordered by timestamp, ties in file order) and case attributes as text.</summary>
    /// <param name="filter">Part of the log.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>Cases ordered by their first event.</returns>
    public IReadOnlyList<CaseTrace> Traces(MiningFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var scope = Scope(filter);
        var attributes = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        using (var cmd = Connection.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT case_id, key, coalesce(text_value, CAST(number_value AS VARCHAR), CAST(bool_value AS VARCHAR), CAST(time_value AS VARCHAR))
                FROM case_attributes WHERE case_id IN (SELECT DISTINCT case_id FROM ({scope}))
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (r.IsDBNull(2))
                    continue;
                var id = r.GetString(0);
                if (!attributes.TryGetValue(id, out var map))
                    attributes[id] = map = new Dictionary<string, string>(StringComparer.Ordinal);
                map[r.GetString(1)] = r.GetValue(2) is double d ? d.ToString("R", CultureInfo.InvariantCulture) : r.GetString(2);
            }
        }
        var traces = new List<CaseTrace>();
        using (var cmd = Connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT case_id, activity, ts, resource, role FROM ({scope}) ORDER BY case_no, {Order["ORDER BY ".Length..]}";
            using var r = cmd.ExecuteReader();
            string? current = null;
            var events = new List<TraceEvent>();
            void Flush()
            {
                if (current is not null)
                    traces.Add(new CaseTrace(current, events) { Attributes = attributes.TryGetValue(current, out var a) ? a : new Dictionary<string, string>() });
            }
            while (r.Read())
            {
                var id = r.GetString(0);
                if (!string.Equals(id, current, StringComparison.Ordinal))
                {
                    if (traces.Count % 4096 == 0)
                        cancellationToken.ThrowIfCancellationRequested();
                    Flush();
                    current = id;
                    events = [];
                }
                events.Add(new TraceEvent(r.GetString(1), ((DateTime)r.GetValue(2)).ToUniversalTime(), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
            }
            Flush();
        }
        traces.Sort((a, b) => a.Events[0].Utc.CompareTo(b.Events[0].Utc));
        return traces;
    }
}
