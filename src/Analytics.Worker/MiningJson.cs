using Analytics.Application.Mining;
using Analytics.Core.Mining;

namespace Analytics.Worker;

/// <summary>The JSON shapes of mining answers, the same on the command line and over HTTP.</summary>
internal static class MiningJson
{
    /// <summary>The answer of <c>mine dfg --json</c> and of <c>GET /api/mine/dfg</c>.</summary>
    public static object Dfg(Mined<IReadOnlyList<DfgEdge>> m) => new { calendar = m.Calendar, excluded = m.Excluded, edges = m.Value.Select(Edge) };

    /// <summary>The answer of <c>mine variants --json</c> and of <c>GET /api/mine/variants</c>.</summary>
    public static object Variants(Mined<IReadOnlyList<Variant>> m, int top) =>
        new { total = m.Value.Count, excluded = m.Excluded, variants = m.Value.Take(top).Select(v => new { activities = v.Activities, count = v.Count, coverage = v.Coverage }) };

    /// <summary>A duration summary, in seconds.</summary>
    public static object Summary(DurationSummary s) => new
    {
        count = s.Count, meanSeconds = s.MeanSeconds, medianSeconds = s.MedianSeconds, p90Seconds = s.P90Seconds, p95Seconds = s.P95Seconds,
        minSeconds = s.MinSeconds, maxSeconds = s.MaxSeconds, stdevSeconds = s.StdevSeconds,
    };

    private static object Edge(DfgEdge e) => new
    {
        from = e.From, to = e.To, count = e.Count, cases = e.Cases,
        meanSeconds = e.WallClock.MeanSeconds, medianSeconds = e.WallClock.MedianSeconds, p90Seconds = e.WallClock.P90Seconds,
        p95Seconds = e.WallClock.P95Seconds, minSeconds = e.WallClock.MinSeconds, maxSeconds = e.WallClock.MaxSeconds, stdevSeconds = e.WallClock.StdevSeconds,
        business = e.Business is null ? null : Summary(e.Business),
    };
}
