using Analytics.Core.WhatIf;

namespace Analytics.Core.Mining;

/// <summary>A process map to draw: activities with their counts, directly-follows edges with count and median latency, start and end counts, and what was left out.</summary>
/// <param name="Activities">Occurrences of each activity drawn.</param>
/// <param name="Edges">Directly-follows edges between drawn activities.</param>
/// <param name="Starts">Cases starting at each activity.</param>
/// <param name="Ends">Cases ending at each activity.</param>
/// <param name="Cases">All cases the map was asked for.</param>
/// <param name="Variants">Their distinct paths (0 when not known).</param>
/// <param name="DrawnVariants">The paths drawn (the most frequent first), or 0 when every case is drawn.</param>
/// <param name="DrawnCases">Cases following the drawn paths.</param>
public sealed record ProcessMap(IReadOnlyDictionary<string, long> Activities, IReadOnlyList<MapEdge> Edges, IReadOnlyDictionary<string, long> Starts,
    IReadOnlyDictionary<string, long> Ends, long Cases, int Variants, int DrawnVariants, long DrawnCases)
{
    /// <summary>
    /// The map of the most frequent paths that together cover at least <paramref name="coverage"/> of the cases (at most
    /// <paramref name="maxVariants"/> paths), so that rare paths do not bury the common ones; the rest are counted, not drawn.
    /// </summary>
    /// <param name="cases">The cases, each with its events in order.</param>
    /// <param name="coverage">Share of cases to cover, 0–1 (1 draws every path).</param>
    /// <param name="maxVariants">Most paths to draw.</param>
    public static ProcessMap OfTopVariants(IReadOnlyList<CaseTrace> cases, double coverage, int maxVariants = 40)
    {
        ArgumentNullException.ThrowIfNull(cases);
        if (!(coverage is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "the share of cases a map covers lies in (0, 1]");
        var variants = cases.Where(c => c.Events.Count > 0)
            .GroupBy(c => string.Join('\u001f', c.Events.Select(e => e.Activity)), StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Cases: g.ToList()))
            .OrderByDescending(v => v.Cases.Count).ThenBy(v => v.Key, StringComparer.Ordinal).ToList();
        var total = variants.Sum(v => (long)v.Cases.Count);
        var drawn = new List<CaseTrace>();
        var taken = 0;
        foreach (var v in variants)
        {
            if (taken > 0 && (drawn.Count >= coverage * total || taken >= maxVariants))
                break;
            drawn.AddRange(v.Cases);
            taken++;
        }
        var activities = new Dictionary<string, long>(StringComparer.Ordinal);
        var starts = new Dictionary<string, long>(StringComparer.Ordinal);
        var ends = new Dictionary<string, long>(StringComparer.Ordinal);
        var latencies = new Dictionary<(string, string), List<double>>();
        foreach (var c in drawn)
        {
            starts[c.Events[0].Activity] = starts.GetValueOrDefault(c.Events[0].Activity) + 1;
            ends[c.Events[^1].Activity] = ends.GetValueOrDefault(c.Events[^1].Activity) + 1;
            for (var i = 0; i < c.Events.Count; i++)
            {
                activities[c.Events[i].Activity] = activities.GetValueOrDefault(c.Events[i].Activity) + 1;
                if (i == 0)
                    continue;
                var key = (c.Events[i - 1].Activity, c.Events[i].Activity);
                if (!latencies.TryGetValue(key, out var list))
                    latencies[key] = list = [];
                list.Add((c.Events[i].Utc - c.Events[i - 1].Utc).TotalSeconds);
            }
        }
        var edges = latencies.Select(kv =>
        {
            kv.Value.Sort();
            return new MapEdge(kv.Key.Item1, kv.Key.Item2, kv.Value.Count, DurationSummary.Quantile(kv.Value, 0.5));
        }).OrderByDescending(e => e.Count).ThenBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ToList();
        return new ProcessMap(activities, edges, starts, ends, total, variants.Count, taken == variants.Count ? 0 : taken, drawn.Count);
    }

    /// <summary>The map of a whole directly-follows graph (every path drawn).</summary>
    public static ProcessMap OfGraph(IReadOnlyList<DfgEdge> edges, CaseDurations cases)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(cases);
        var activities = new Dictionary<string, long>(StringComparer.Ordinal);
        // An activity occurs once per incoming edge, plus once per case starting at it.
        foreach (var e in edges)
            activities[e.To] = activities.GetValueOrDefault(e.To) + e.Count;
        foreach (var (a, n) in cases.StartActivities)
            activities[a] = activities.GetValueOrDefault(a) + n;
        foreach (var e in edges)
            activities.TryAdd(e.From, 0);
        return new ProcessMap(activities, edges.Select(e => new MapEdge(e.From, e.To, e.Count, e.WallClock.MedianSeconds)).ToList(), cases.StartActivities, cases.EndActivities,
            cases.Cases, 0, 0, cases.Cases);
    }
}

/// <summary>A directly-follows edge of a map.</summary>
/// <param name="From">The earlier activity.</param>
/// <param name="To">The next activity.</param>
/// <param name="Count">How often it occurs.</param>
/// <param name="MedianSeconds">Median wall-clock time between the two events.</param>
public sealed record MapEdge(string From, string To, long Count, double MedianSeconds);
