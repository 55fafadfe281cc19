using System.Globalization;
using Analytics.Core.Mining;
using Analytics.Core.Routing;
using Analytics.Ml;

namespace Analytics.Application.Routing;

/// <summary>
/// Checks an order against what the policy and the model need, and reads its values in the forms the ingest mapping
/// accepts (numbers written as text, booleans as true/false, 1/0, Y/N, yes/no). Never guesses a missing value: a value
/// the model was trained with always present is needed; one it saw missing in training may be missing.
/// </summary>
internal static class OrderValidation
{
    /// <summary>The keys whose absence leaves the population or a forced-review rule undecidable.</summary>
    public static IReadOnlyList<string> PolicyKeys(RoutingConfig config) => config.PopulationConditions.Select(c => c.Key)
        .Concat(config.ForceReview.Select(f => AttributeCondition.Parse(f).Key)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>What is missing for the policy itself (population and forced-review keys), or null.</summary>
    public static string? MissingForPolicy(IReadOnlyDictionary<string, object?> attributes, RoutingConfig config)
    {
        var missing = PolicyKeys(config).Where(k => attributes.GetValueOrDefault(k) is null).ToList();
        return missing.Count == 0 ? null
            : $"no value for {string.Join(", ", missing.Select(m => $"'{m}'"))}, which the routing policy needs (population or forced-review rule)";
    }

    /// <summary>The order's attributes read as the model was trained on them, and the problems found (empty when none).</summary>
    public static (IReadOnlyDictionary<string, object?> Attributes, IReadOnlyList<string> Problems) ForModel(
        IReadOnlyDictionary<string, object?> attributes, RoutingConfig config, FeatureSpace space)
    {
        var result = new Dictionary<string, object?>(attributes, StringComparer.Ordinal);
        var problems = new List<string>();
        var numericInputs = config.Ratios.Concat(config.Products).Concat(config.Relative.Select(p => (IReadOnlyList<string>)[p[0]]))
            .SelectMany(p => p).Concat(config.Logs).ToHashSet(StringComparer.Ordinal);
        // Every key a feature reads: a history key or the key of a running mean left out would make the order look like
        // one of a newcomer, so it is needed as much as a case attribute.
        foreach (var key in config.FeatureKeys)
        {
            var value = attributes.GetValueOrDefault(key);
            var numeric = space.Numeric.Contains(key) || (numericInputs.Contains(key) && !space.Categories.ContainsKey(key));
            if (value is null)
            {
                // Seen missing in training: the model knows what missing means.
                if (!space.Numeric.Contains(key + " missing"))
                    problems.Add($"no value for '{key}'");
                continue;
            }
            if (!numeric || value is double or bool)
                continue;
            var text = value.ToString()!.Trim();
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                result[key] = d;
            else if (RoutingSuggestion.TryBoolean(text, out var b))
                result[key] = b;
            else
                problems.Add($"'{key}' is \"{text}\", not a number");
        }
        return (result, problems);
    }
}
