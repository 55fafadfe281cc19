namespace Analytics.Core.Routing;

/// <summary>
/// The population stability index, PSI = Σ (aᵢ − eᵢ)·ln(aᵢ/eᵢ) over bins, between a feature's distribution at training
/// (e) and now (a). Numeric features use the training deciles as bin edges; categories are their own bins. Empty bins
/// count as 0.0001 so the logarithm stays finite. Rule of thumb: below 0.1 stable, 0.1–0.25 drifting, above 0.25 shifted.
/// </summary>
public static class PopulationStability
{
    private const double Floor = 1e-4;

    /// <summary>PSI of a numeric feature.</summary>
    public static double Numeric(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Count == 0 || actual.Count == 0)
            return double.NaN;
        var sorted = expected.Order().ToArray();
        var edges = Enumerable.Range(1, 9).Select(k => sorted[(int)Math.Floor(k / 10.0 * (sorted.Length - 1))]).Distinct().ToArray();
        int Bin(double v)
        {
            var i = Array.BinarySearch(edges, v);
            return i >= 0 ? i : ~i;
        }
        return Index(expected.Select(Bin), actual.Select(Bin));
    }

    /// <summary>PSI of a categorical feature.</summary>
    public static double Categorical(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Count == 0 || actual.Count == 0)
            return double.NaN;
        return Index(expected, actual);
    }

    private static double Index<T>(IEnumerable<T> expected, IEnumerable<T> actual) where T : notnull
    {
        var e = expected.GroupBy(x => x).ToDictionary(g => g.Key, g => (double)g.Count());
        var a = actual.GroupBy(x => x).ToDictionary(g => g.Key, g => (double)g.Count());
        var eTotal = e.Values.Sum();
        var aTotal = a.Values.Sum();
        return e.Keys.Union(a.Keys).Sum(k =>
        {
            var pe = Math.Max(Floor, e.GetValueOrDefault(k) / eTotal);
            var pa = Math.Max(Floor, a.GetValueOrDefault(k) / aTotal);
            return (pa - pe) * Math.Log(pa / pe);
        });
    }
}
