using Analytics.Core.Mining;

namespace Analytics.Core.Routing;

/// <summary>The routing suggestion for one order, with its reasons. PMs keep the final say.</summary>
/// <param name="CaseId">The order.</param>
/// <param name="Route"><c>pm-review</c> or <c>auto</c> (past the PM).</param>
/// <param name="Probability">Calibrated probability that a PM would change or reject it; null when not scored.</param>
/// <param name="Threshold">The policy's threshold.</param>
/// <param name="Why">forced, audit, score or population: what decided the route.</param>
/// <param name="Reasons">The top contributing features, in plain words.</param>
/// <param name="ModelVersion">The model version that scored it.</param>
public sealed record RoutingSuggestion(string CaseId, string Route, double? Probability, double Threshold, string Why, IReadOnlyList<string> Reasons, int ModelVersion)
{
    /// <summary>
    /// Applies the policy: orders outside the population skip the PM as today; a hard rule forces review; a small
    /// random audit share of orders that would skip still go to a PM (drawn from a hash of the case id, so the same
    /// order always gets the same answer); otherwise the score decides.
    /// </summary>
    public static RoutingSuggestion Decide(string caseId, IReadOnlyDictionary<string, object?> attributes, RoutingConfig config, double probability,
        double threshold, IReadOnlyList<string> reasons, int modelVersion)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(config);
        if (!config.PopulationConditions.All(c => Holds(c, attributes)))
            return new RoutingSuggestion(caseId, "auto", null, threshold, "population", ["not in the population routed to PMs"], modelVersion);
        var forced = config.ForceReview.Select(AttributeCondition.Parse).FirstOrDefault(c => Holds(c, attributes));
        if (forced is not null)
            return new RoutingSuggestion(caseId, "pm-review", probability, threshold, "forced", [$"rule: {forced.Key} {forced.Operator} {forced.Value}", .. reasons], modelVersion);
        if (probability >= threshold)
            return new RoutingSuggestion(caseId, "pm-review", probability, threshold, "score", reasons, modelVersion);
        if (AuditDraw(caseId) < config.AuditShare)
            return new RoutingSuggestion(caseId, "pm-review", probability, threshold, "audit", ["random audit of auto-routed orders", .. reasons], modelVersion);
        return new RoutingSuggestion(caseId, "auto", probability, threshold, "score", reasons, modelVersion);
    }

    /// <summary>Whether a condition holds on attribute values (numbers compared as numbers, booleans and text as text).</summary>
    public static bool Holds(AttributeCondition condition, IReadOnlyDictionary<string, object?> attributes)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(attributes);
        var value = attributes.GetValueOrDefault(condition.Key);
        int? cmp = value switch
        {
            double d when double.TryParse(condition.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) => d.CompareTo(v),
            bool b when TryBoolean(condition.Value, out var v) => b.CompareTo(v),
            // A yes/no written as text (Y, N, yes, 1, …, the forms the ingest mapping accepts) against a boolean condition.
            string s when TryBoolean(condition.Value, out var v) && TryBoolean(s, out var b) => b.CompareTo(v),
            // A number written as text against a numeric condition is compared as a number, not letter by letter.
            string s when double.TryParse(condition.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
                && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d.CompareTo(v),
            string s => string.CompareOrdinal(s, condition.Value),
            _ => null,
        };
        return cmp is { } c && condition.Operator switch
        {
            "=" => c == 0, "!=" => c != 0, "<" => c < 0, "<=" => c <= 0, ">" => c > 0, ">=" => c >= 0, _ => false,
        };
    }

    /// <summary>Reads true/false, yes/no, y/n and 1/0 (any case) as a boolean.</summary>
    public static bool TryBoolean(string? text, out bool value)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "TRUE" or "YES" or "Y" or "1":
                value = true;
                return true;
            case "FALSE" or "NO" or "N" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static double AuditDraw(string caseId) => StableHash.Of(caseId) / (double)uint.MaxValue;
}
