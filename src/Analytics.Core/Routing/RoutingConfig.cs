using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Core.Mining;

namespace Analytics.Core.Routing;

/// <summary>
/// What the review-need model predicts, read from a JSON file (see <c>data-samples/routing/</c>): the decision point,
/// the population routed there, the label, the features, the time split and the routing policy's guarantee.
/// </summary>
public sealed record RoutingConfig
{
    /// <summary>The activity at which routing is decided; its first occurrence in a case is the decision instant.</summary>
    public required string Decision { get; init; }

    /// <summary>Conditions on case attributes selecting the orders a routing decision is made for (e.g. <c>controlled=true</c>).</summary>
    public IReadOnlyList<string> Population { get; init; } = [];

    /// <summary>Activities after the decision that mean the review was needed; exact names, or LIKE patterns with '%'.</summary>
    public required IReadOnlyList<string> LabelActivities { get; init; }

    /// <summary>Case attributes known at the decision point, used as features (numbers, booleans, categories).</summary>
    public IReadOnlyList<string> CaseAttributes { get; init; } = [];

    /// <summary>Ratios of numeric case attributes used as features, as [numerator, denominator] pairs (e.g. amount over floor price).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Ratios { get; init; } = [];

    /// <summary>Case attributes whose past review outcomes (of cases closed before the decision) become features, e.g. the requester.</summary>
    public IReadOnlyList<string> History { get; init; } = [];

    /// <summary>Products of numeric case attributes used as features, as [a, b] pairs (e.g. list price × quantity = order value).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Products { get; init; } = [];

    /// <summary>Numeric case attributes whose logarithm (of 1 + the value) is a feature too: amounts spanning orders of magnitude.</summary>
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>Pairs of categorical case attributes crossed into one feature (e.g. segment × region).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Crosses { get; init; } = [];

    /// <summary>[attribute, key] pairs: the attribute against its running mean over earlier orders of the same key value (e.g. the discount against the product line's usual one), known at filing.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Relative { get; init; } = [];

    /// <summary>Names and units of case attributes in reasons (e.g. <c>"discount_pct": {"name": "discount", "unit": "%"}</c>).</summary>
    public IReadOnlyDictionary<string, AttributeLabel> Labels { get; init; } = new Dictionary<string, AttributeLabel>();

    /// <summary>Features the leakage audit flagged that are kept anyway, each with the reason it is known at the decision (e.g. <c>"Project": "entered at submission by the form"</c>).</summary>
    public IReadOnlyDictionary<string, string> AcceptedFeatures { get; init; } = new Dictionary<string, string>();

    /// <summary>Half-life in days of the recency-weighted history rate.</summary>
    public double HistoryHalfLifeDays { get; init; } = 90;

    /// <summary>Add month, weekday and hour of the decision (in <see cref="TimeZone"/>).</summary>
    public bool CalendarFeatures { get; init; } = true;

    /// <summary>Add the number of population cases past the decision point and still open at the decision instant.</summary>
    public bool QueueFeature { get; init; } = true;

    /// <summary>Time zone of the calendar features.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The latest this many months are the test period.</summary>
    public int TestMonths { get; init; } = 3;

    /// <summary>
    /// No longer used: probabilities and the policy are calibrated out of fold on every month before the test period
    /// (see <see cref="Folds"/>). Still read, so that configurations and profiles that name it keep loading.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CalibrationMonths { get; init; }

    /// <summary>Folds of the cross-fitting that calibrates probabilities and certifies the policy (2–20).</summary>
    public int Folds { get; init; } = 5;

    /// <summary>How the threshold is chosen: <c>alpha</c> (the boldest one whose miss rate is certified at most α) or <c>capacity</c> (PMs take <see cref="TargetReviewRatio"/> of all orders).</summary>
    public RoutingMode Mode { get; init; } = RoutingMode.Alpha;

    /// <summary>The share of all orders PMs can review; unset: the profile's review target, or 15%.</summary>
    public double? TargetReviewRatio { get; init; }

    /// <summary>The target review ratio in force: <see cref="TargetReviewRatio"/>, or 15%.</summary>
    [JsonIgnore]
    public double TargetReviewRatioOrDefault => TargetReviewRatio ?? 0.15;

    /// <summary>The label: the outcome at the first visit of the review node after the decision (<c>first</c>), or any label activity after it (<c>any</c>).</summary>
    public LabelVisit LabelVisit { get; init; } = LabelVisit.First;

    /// <summary>The review node's activities (the profile's when empty): with <see cref="LabelVisit"/> first, the first of them after the decision is the outcome.</summary>
    public IReadOnlyList<string> ReviewActivities { get; init; } = [];

    /// <summary>An order without a value the model needs: refused (<c>refuse</c>, HTTP 400) or sent to review with the reason (<c>review</c>). The worker, which cannot refuse a stored order, always sends it to review.</summary>
    public IncompleteOrders IncompleteOrders { get; init; } = IncompleteOrders.Refuse;

    /// <summary>Largest acceptable miss rate (needed reviews among orders routed past the PM).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>The guarantee holds with confidence 1 − δ.</summary>
    public double Delta { get; init; } = 0.1;

    /// <summary>Conditions that always force a review (e.g. <c>order_amount&gt;=5000000</c>).</summary>
    public IReadOnlyList<string> ForceReview { get; init; } = [];

    /// <summary>Share of auto-routed orders still sent to a PM at random, so the live miss rate stays measurable.</summary>
    public double AuditShare { get; init; } = 0.02;

    /// <summary>Seed of model training and audit draws.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Every case attribute a feature reads: case attributes, history keys, and the inputs of ratios, products, logs, crosses and running means.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> FeatureKeys => CaseAttributes.Concat(History)
        .Concat(Ratios.Concat(Products).Concat(Crosses).Concat(Relative).SelectMany(p => p)).Concat(Logs)
        .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The population conditions, parsed.</summary>
    [JsonIgnore]
    public IReadOnlyList<AttributeCondition> PopulationConditions => Population.Select(AttributeCondition.Parse).ToList();

    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// A configuration stored with a model version: one stored before <see cref="LabelVisit"/> existed was trained on
    /// "any label activity after the decision", and keeps that meaning.
    /// </summary>
    public static RoutingConfig FromStored(string json, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(json);
        var config = JsonSerializer.Deserialize<RoutingConfig>(json, options) ?? throw new FormatException("empty routing configuration");
        return json.Contains("\"labelVisit\"", StringComparison.Ordinal) ? config : config with { LabelVisit = LabelVisit.Any };
    }

    /// <summary>Reads a configuration.</summary>
    /// <exception cref="FormatException">Invalid JSON or values; the message says which.</exception>
    public static RoutingConfig Parse(Stream json, string source)
    {
        try
        {
            var config = JsonSerializer.Deserialize<RoutingConfig>(json, Options) ?? throw new FormatException($"{source}: empty");
            config.Validate(source);
            return config;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: {ex.Message}", ex);
        }
    }

    /// <summary>Checks the values that JSON alone cannot.</summary>
    /// <exception cref="FormatException">A value is out of range; the message names it and <paramref name="source"/>.</exception>
    public void Validate(string source)
    {
        if (string.IsNullOrWhiteSpace(Decision))
            throw new FormatException($"{source}: decision (the activity at which routing is decided) is empty");
        if (LabelActivities is null || LabelActivities.Count == 0)
            throw new FormatException($"{source}: labelActivities (the outcomes that mean a review was needed) is empty");
        if (!(Alpha > 0 && Alpha < 1) || !(Delta > 0 && Delta < 1))
            throw new FormatException($"{source}: alpha and delta must lie in (0, 1)");
        if (!(AuditShare >= 0 && AuditShare < 1))
            throw new FormatException($"{source}: auditShare must lie in [0, 1)");
        if (TestMonths < 1)
            throw new FormatException($"{source}: testMonths must be at least 1");
        if (!(HistoryHalfLifeDays > 0))
            throw new FormatException($"{source}: historyHalfLifeDays must be positive");
        foreach (var (name, pairs) in new[] { ("ratios", Ratios), ("products", Products), ("crosses", Crosses), ("relative", Relative) })
            if (pairs.Any(p => p is null || p.Count != 2 || p.Any(string.IsNullOrWhiteSpace)))
                throw new FormatException($"{source}: each entry of {name} must be a pair of attribute names, e.g. [\"a\", \"b\"]");
        if (Folds < 2 || Folds > 20)
            throw new FormatException($"{source}: folds must lie in 2–20");
        if (TargetReviewRatio is { } target && !(target > 0 && target <= 1))
            throw new FormatException($"{source}: targetReviewRatio must lie in (0, 1]");
        try
        {
            _ = PopulationConditions;
            _ = ForceReview.Select(AttributeCondition.Parse).ToList();
            _ = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new FormatException($"{source}: timeZone '{TimeZone}' is not a known IANA time zone", ex);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{source}: {ex.Message}", ex);
        }
    }
}

/// <summary>How the routing threshold is chosen.</summary>
public enum RoutingMode
{
    /// <summary>The boldest threshold whose miss rate is certified at most α.</summary>
    Alpha,

    /// <summary>PMs review a fixed share of all orders (the target review ratio); the miss rate that buys is certified.</summary>
    Capacity,
}

/// <summary>Which review outcome is the label.</summary>
public enum LabelVisit
{
    /// <summary>The outcome of the first visit of the review node after the decision.</summary>
    First,

    /// <summary>Any label activity after the decision.</summary>
    Any,
}

/// <summary>What becomes of an order without a value the model needs.</summary>
public enum IncompleteOrders
{
    /// <summary>Refused, naming the field (HTTP 400).</summary>
    Refuse,

    /// <summary>Sent to review with the reason "incomplete order".</summary>
    Review,
}
