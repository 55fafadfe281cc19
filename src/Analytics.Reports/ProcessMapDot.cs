using System.Globalization;
using System.Text;
using Analytics.Core.Mining;

namespace Analytics.Reports;

/// <summary>
/// Renders a process map as Graphviz DOT: boxes with the activity's name (wrapped) and count, edges labelled
/// "count · median" with width by count and colour by median latency (green fast, red slow, by rank). Small maps run
/// left to right, larger ones top to bottom so that they fit a page's width; a page at most about 1,050 px wide.
/// </summary>
public static class ProcessMapDot
{
    /// <summary>The DOT text of a map.</summary>
    public static string Render(ProcessMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var sb = new StringBuilder();
        sb.AppendLine("digraph process_map {");
        var wide = map.Activities.Count > 5;
        sb.AppendLine(CultureInfo.InvariantCulture, $"  graph [rankdir={(wide ? "TB" : "LR")}, size=\"10.9,40\", nodesep=0.35, ranksep=0.45, fontname=\"sans-serif\"];");
        sb.AppendLine("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6fa\", color=\"#8a97a8\", fontname=\"sans-serif\", fontsize=14, margin=\"0.15,0.06\"];");
        sb.AppendLine("  edge [fontname=\"sans-serif\", fontsize=13, fontcolor=\"#1d2733\", arrowsize=0.7];");
        sb.AppendLine("  \"__start\" [shape=circle, label=\"\", width=0.25, fillcolor=\"#2e7d32\", color=\"#2e7d32\"]; \"__end\" [shape=doublecircle, label=\"\", width=0.2, fillcolor=\"#c62828\", color=\"#c62828\"];");
        var maxCount = map.Edges.Count == 0 ? 1 : map.Edges.Max(e => e.Count);
        var medians = map.Edges.Select(e => e.MedianSeconds).Order().ToList();
        foreach (var (activity, count) in map.Activities.OrderBy(a => a.Key, StringComparer.Ordinal))
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(activity)} [label=\"{Escape(Wrap(activity, 22))}\\n{count:N0}\"];");
        foreach (var (activity, count) in map.Starts.OrderBy(a => a.Key, StringComparer.Ordinal))
            sb.AppendLine(CultureInfo.InvariantCulture, $"  \"__start\" -> {Id(activity)} [label=\"{count:N0}\", style=dashed, color=\"#8a97a8\"];");
        foreach (var (activity, count) in map.Ends.OrderBy(a => a.Key, StringComparer.Ordinal))
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(activity)} -> \"__end\" [label=\"{count:N0}\", style=dashed, color=\"#8a97a8\"];");
        foreach (var e in map.Edges)
        {
            var width = 1 + 5.0 * e.Count / maxCount;
            var rank = medians.Count <= 1 ? 0 : (double)medians.BinarySearch(e.MedianSeconds) / (medians.Count - 1);
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"  {Id(e.From)} -> {Id(e.To)} [label=\"{e.Count:N0} · {Human(e.MedianSeconds)}\", penwidth={width:F2}, color=\"{Colour(Math.Max(0, rank))}\"];");
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>Breaks a name into lines of about <paramref name="width"/> characters at spaces, underscores or hyphens.</summary>
    public static string Wrap(string name, int width)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in System.Text.RegularExpressions.Regex.Split(name, "(?<=[ _\\-/])"))
        {
            if (line.Length > 0 && line.Length + word.TrimEnd().Length > width)
            {
                lines.Add(line.ToString().TrimEnd());
                line.Clear();
            }
            line.Append(word);
        }
        if (line.Length > 0)
            lines.Add(line.ToString().TrimEnd());
        return string.Join("\n", lines);
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

    private static string Id(string s) => "\"" + Escape(s) + "\"";

    // A DOT string: backslashes and quotes escaped; the wrapped name's line breaks become \n after escaping.
    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Green (fast) through amber to red (slow), by the edge's rank among median latencies.</summary>
    private static string Colour(double rank)
    {
        var r = (int)Math.Round(rank < 0.5 ? 46 + (255 - 46) * rank * 2 : 255 - (255 - 198) * (rank - 0.5) * 2);
        var g = (int)Math.Round(rank < 0.5 ? 125 + (160 - 125) * rank * 2 : 160 - (160 - 40) * (rank - 0.5) * 2);
        var b = (int)Math.Round(rank < 0.5 ? 50 - 50 * rank * 2 : 40 * (rank - 0.5) * 2);
        return $"#{r:x2}{g:x2}{b:x2}";
    }
}
