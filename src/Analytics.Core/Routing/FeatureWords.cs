using System.Globalization;

namespace Analytics.Core.Routing;

/// <summary>
/// A feature's value in the words of the business: the names and units the routing configuration gives its case
/// attributes (<see cref="RoutingConfig.Labels"/>), e.g. "discount 28.9% vs usual 15.5%" rather than a feature id.
/// </summary>
public static class FeatureWords
{
    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;
    private static readonly string[] Days = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;

    /// <summary>A numeric feature's value against its typical one.</summary>
    public static string Numeric(string feature, double value, double typical, RoutingConfig config)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(config);
        const string history = " history rate", count = " history count", missing = " missing", sep = " / ", times = " × ", log = "log ";
        if (feature.EndsWith(history, StringComparison.Ordinal))
            return $"review rate of past orders of this {Name(feature[..^history.Length], config)} {Percent(value)} (smoothed towards the overall rate) vs usual {Percent(typical)}";
        if (feature.EndsWith(count, StringComparison.Ordinal))
            return $"{N(value)} past orders of this {Name(feature[..^count.Length], config)} (usual {N(typical)})";
        if (feature.EndsWith(" recent rate", StringComparison.Ordinal))
            return $"recent review rate of orders of this {Name(feature[..^" recent rate".Length], config)} {Percent(value)} (weighted by age, smoothed) vs usual {Percent(typical)}";
        if (feature.EndsWith(" past needed", StringComparison.Ordinal))
            return $"{N(value)} past orders of this {Name(feature[..^" past needed".Length], config)} needed review (usual {N(typical)})";
        if (feature.EndsWith(missing, StringComparison.Ordinal))
            return $"no {Name(feature[..^missing.Length], config)} given";
        if (feature.Contains(" vs mean of ", StringComparison.Ordinal))
        {
            var parts = feature.Split(" vs mean of ");
            return value == 0
                ? $"{Name(parts[0], config)} at the running mean of its {Name(parts[1], config)}"
                : $"{Name(parts[0], config)} {N(Math.Abs(value))}{(Unit(parts[0], config) == "%" ? " points" : Unit(parts[0], config))} {(value < 0 ? "below" : "above")} the running mean of its {Name(parts[1], config)}";
        }
        if (feature.Contains(sep, StringComparison.Ordinal))
        {
            var parts = feature.Split(sep);
            return $"{Name(parts[0], config)} / {Name(parts[1], config)} {value.ToString("0.###", CultureInfo.InvariantCulture)} vs usual {typical.ToString("0.###", CultureInfo.InvariantCulture)}";
        }
        if (feature.Contains(times, StringComparison.Ordinal))
        {
            var parts = feature.Split(times);
            return $"{Name(parts[0], config)} × {Name(parts[1], config)} {N(value)} vs usual {N(typical)}";
        }
        if (feature.StartsWith(log, StringComparison.Ordinal))
        {
            var key = feature[log.Length..];
            return Attribute(key, Math.Exp(value) - 1, Math.Exp(typical) - 1, config);
        }
        return feature switch
        {
            "month" => $"decided in {Months[Math.Clamp((int)value, 1, 12) - 1]}",
            "weekday" => $"decided on a {Days[Math.Clamp((int)value, 0, 6)]}",
            "hour" => $"decided at {(int)value:00}:{(int)((value - Math.Floor(value)) * 60):00}",
            "open cases at decision" => $"{N(value)} orders open at the decision (usual {N(typical)})",
            _ => Attribute(feature, value, typical, config),
        };
    }

    /// <summary>A categorical feature's value.</summary>
    public static string Category(string feature, string value, RoutingConfig config)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(config);
        if (feature.Contains(" × ", StringComparison.Ordinal))
        {
            var keys = feature.Split(" × ");
            var values = value.Split(" × ");
            return string.Join(", ", keys.Select((k, i) => $"{Name(k, config)} {(i < values.Length ? values[i] : "")}"));
        }
        return $"{Name(feature, config)} {value}";
    }

    private static string Attribute(string key, double value, double typical, RoutingConfig config)
    {
        var unit = Unit(key, config);
        if (config.Labels.TryGetValue(key, out var label) && label.Boolean)
            return $"{Name(key, config)}: {(value != 0 ? "yes" : "no")}";
        return $"{Name(key, config)} {N(value)}{unit} vs usual {N(typical)}{unit}";
    }

    private static string Name(string key, RoutingConfig config) =>
        config.Labels.TryGetValue(key, out var label) && !string.IsNullOrWhiteSpace(label.Name) ? label.Name : key.Replace('_', ' ');

    private static string Unit(string key, RoutingConfig config) =>
        config.Labels.TryGetValue(key, out var label) && !string.IsNullOrEmpty(label.Unit) ? (label.Unit == "%" ? "%" : " " + label.Unit) : "";

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string N(double value) => Math.Abs(value) >= 1000 || value == Math.Round(value)
        ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>How a case attribute is named in reasons.</summary>
/// <param name="Name">Its name in words (e.g. "discount").</param>
/// <param name="Unit">Its unit (e.g. "%", "CNY"); none if empty.</param>
/// <param name="Boolean">A yes/no attribute.</param>
public sealed record AttributeLabel(string Name, string? Unit = null, bool Boolean = false);
