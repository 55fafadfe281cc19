using System.Globalization;
using Analytics.Core.Routing;

namespace Analytics.Ml;

/// <summary>
/// The fixed layout of the feature vector, learnt from the training rows: numeric features in name order, then one
/// indicator per frequent category value (values seen fewer than 5 times fall into "other").
/// </summary>
/// <param name="Numeric">Numeric features, in slot order.</param>
/// <param name="Categories">Per categorical feature, its frequent values in slot order.</param>
/// <param name="Medians">Training median of each numeric feature: the "typical order" explanations compare against.</param>
public sealed record FeatureSpace(IReadOnlyList<string> Numeric, IReadOnlyDictionary<string, IReadOnlyList<string>> Categories, IReadOnlyDictionary<string, double> Medians)
{
    private const int MinCount = 5;
    private const int MaxValues = 40;

    /// <summary>Names of the vector's slots, for explanations.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> SlotNames { get; } = Numeric
        .Concat(Categories.OrderBy(c => c.Key, StringComparer.Ordinal).SelectMany(c => c.Value.Select(v => $"{c.Key} = {v}").Append($"{c.Key} = other")))
        .ToList();

    /// <summary>Learns the layout.</summary>
    public static FeatureSpace Learn(IEnumerable<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var numeric = list.SelectMany(r => r.Numeric.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var categories = list.SelectMany(r => r.Categorical).GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.GroupBy(p => p.Value, StringComparer.Ordinal)
                .Where(v => v.Count() >= MinCount).OrderByDescending(v => v.Count()).ThenBy(v => v.Key, StringComparer.Ordinal)
                .Take(MaxValues).Select(v => v.Key).ToList(), StringComparer.Ordinal);
        var medians = numeric.ToDictionary(n => n, n =>
        {
            var values = list.Select(r => r.Numeric.TryGetValue(n, out var v) ? v : 0).Order().ToList();
            return values.Count == 0 ? 0 : values[values.Count / 2];
        }, StringComparer.Ordinal);
        return new FeatureSpace(numeric, categories, medians);
    }

    /// <summary>The vector of a row.</summary>
    public float[] Vector(FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var v = new float[SlotNames.Count];
        var i = 0;
        foreach (var name in Numeric)
            v[i++] = row.Numeric.TryGetValue(name, out var x) ? (float)x : 0f;
        foreach (var (key, values) in Categories.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var value = row.Categorical.GetValueOrDefault(key);
            var at = value is null ? -1 : IndexOf(values, value);
            v[i + (at >= 0 ? at : values.Count)] = 1f;
            i += values.Count + 1;
        }
        return v;
    }


    /// <summary>The slot of a numeric feature, or −1.</summary>
    public int NumericSlot(string name)
    {
        for (var k = 0; k < Numeric.Count; k++)
            if (Numeric[k] == name)
                return k;
        return -1;
    }

    /// <summary>The slots of a categorical feature's indicators (its values, then "other"), or an empty range.</summary>
    public (int Start, int Count) CategorySlots(string name)
    {
        var i = Numeric.Count;
        foreach (var (key, values) in Categories.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (key == name)
                return (i, values.Count + 1);
            i += values.Count + 1;
        }
        return (0, 0);
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var k = 0; k < values.Count; k++)
            if (values[k] == value)
                return k;
        return -1;
    }
}
