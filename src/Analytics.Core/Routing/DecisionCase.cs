namespace Analytics.Core.Routing;

/// <summary>One case at its routing decision, as the store knows it.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="DecisionUtc">When it reached the decision point.</param>
/// <param name="EndUtc">Its last event (when its outcome became known).</param>
/// <param name="InPopulation">Whether a routing decision is made for it (e.g. it holds a controlled product).</param>
/// <param name="Label">Whether the review was needed (a label activity after the decision); meaningful for the population.</param>
/// <param name="Attributes">Case attributes: numbers and booleans as double, others as string.</param>
public sealed record DecisionCase(string CaseId, DateTime DecisionUtc, DateTime EndUtc, bool InPopulation, bool Label,
    IReadOnlyDictionary<string, object?> Attributes);
