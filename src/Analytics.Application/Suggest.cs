namespace Analytics.Application;

/// <summary>"Did you mean" for names a person typed.</summary>
public static class Suggest
{
    /// <summary>", did you mean 'x'?" for the closest known name within a small edit distance, else empty.</summary>
    public static string Nearest(string typed, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(typed.ToUpperInvariant(), k.ToUpperInvariant()))).OrderBy(x => x.d).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, typed.Length / 3) ? $" (did you mean '{best.k}'?)" : "";
    }

    /// <summary>Up to twelve names, then how many more.</summary>
    public static string List(IEnumerable<string> names)
    {
        var all = names.Order(StringComparer.Ordinal).ToList();
        return all.Count == 0 ? "none" : string.Join(", ", all.Take(12)) + (all.Count > 12 ? $" and {all.Count - 12} more" : "");
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
