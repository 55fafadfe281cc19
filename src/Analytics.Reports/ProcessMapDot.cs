using System.Globalization;
using System.Text;
using Analytics.Core.Mining;

namespace Analytics.Reports;

/// <summary>Renders a directly-follows graph as Graphviz DOT: edge width by frequency, colour by median latency (green fast, red slow).</summary>
public static class ProcessMapDot
{
    /// <summary>The DOT text of a map.</summary>
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
                $"  {Id(e.From)} -> {Id(e.To)} [label=\"{e.Count:N0} · {Human(e.WallClock.MedianSeconds)}\", penwidth={width:F2}, color=\"{Colour(Math.Max(0, rank))}\"];");
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>A duration for people: seconds, minutes, hours or days.</summary>
    public static string Human(double seconds) => seconds switch
    {
        < 120 => FormattableString.Invariant($"{seconds:F0}s"),
        < 7200 => FormattableString.Invariant($"{seconds / 60:F0}m"),
        < 172800 => FormattableString.Invariant($"{seconds / 3600:F1}h"),
        _ => FormattableString.Invariant($"{seconds / 86400:F1}d"),
    };

    /// <summary>The map as SVG through Graphviz's <c>dot</c>, or null with the reason when it cannot run.</summary>
    public static (string? Svg, string? Problem) ToSvg(string dot)
    {
        ArgumentNullException.ThrowIfNull(dot);
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo("dot", "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = System.Diagnostics.Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                return (null, "Graphviz took longer than 30 s");
            }
            var svg = output.GetAwaiter().GetResult();
            return process.ExitCode == 0 ? (svg[svg.IndexOf("<svg", StringComparison.Ordinal)..], null) : (null, "Graphviz failed: " + process.StandardError.ReadToEnd());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "Graphviz (dot) is not installed; on Debian: apt-get install graphviz");
        }
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
