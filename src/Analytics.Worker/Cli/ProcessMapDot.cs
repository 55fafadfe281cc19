using System.Globalization;
using System.Text;
using Analytics.Core.Mining;

namespace Analytics.Worker.Cli;

/// <summary>Renders a directly-follows graph as Graphviz DOT: edge width by frequency, colour by median latency (green fast, red slow).</summary>
internal static class ProcessMapDot
{
    public static string Render(IReadOnlyList<DfgEdge> edges, CaseDurations cases)
    {
        var sb = new StringBuilder();
        sb.AppendLine("digraph process_map {");
        sb.AppendLine("  rankdir=LR; node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6fa\", fontname=\"Helvetica\"]; edge [fontname=\"Helvetica\", fontsize=10];");
        sb.AppendLine("  \"__start\" [shape=circle, label=\"\", width=0.25, fillcolor=\"#2e7d32\"]; \"__end\" [shape=doublecircle, label=\"\", width=0.2, fillcolor=\"#c62828\"];");
        var maxCount = edges.Count == 0 ? 1 : edges.Max(e => e.Count);
        var medians = edges.Select(e => e.WallClock.MedianSeconds).Order().ToList();
        foreach (var activity in edges.SelectMany(e => new[] { e.From, e.To }).Concat(cases.StartActivities.Keys).Concat(cases.EndActivities.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(activity)} [label={Id(activity)}];");
        foreach (var (activity, count) in cases.StartActivities)
            sb.AppendLine(CultureInfo.InvariantCulture, $"  \"__start\" -> {Id(activity)} [label=\"{count:N0}\", style=dashed];");
        foreach (var (activity, count) in cases.EndActivities)
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(activity)} -> \"__end\" [label=\"{count:N0}\", style=dashed];");
        foreach (var e in edges)
        {
            var width = 1 + 5.0 * e.Count / maxCount;
            var rank = medians.Count <= 1 ? 0 : (double)medians.BinarySearch(e.WallClock.MedianSeconds) / (medians.Count - 1);
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"  {Id(e.From)} -> {Id(e.To)} [label=\"{e.Count:N0} · {MineVerb.Human(e.WallClock.MedianSeconds)}\", penwidth={width:F2}, color=\"{Colour(Math.Max(0, rank))}\"];");
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string Id(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Green (fast) through amber to red (slow), by the edge's rank among median latencies.</summary>
    private static string Colour(double rank)
    {
        var r = (int)Math.Round(rank < 0.5 ? 46 + (255 - 46) * rank * 2 : 255 - (255 - 198) * (rank - 0.5) * 2);
        var g = (int)Math.Round(rank < 0.5 ? 125 + (160 - 125) * rank * 2 : 160 - (160 - 40) * (rank - 0.5) * 2);
        var b = (int)Math.Round(rank < 0.5 ? 50 - 50 * rank * 2 : 40 * (rank - 0.5) * 2);
        return $"#{r:x2}{g:x2}{b:x2}";
    }
}
