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

    /// <summary>Add month, weekday and hour of the decision (in <see cref="TimeZone"/>).</summary>
    public bool CalendarFeatures { get; init; } = true;

    /// <summary>Add the number of population cases past the decision point and still open at the decision instant.</summary>
    public bool QueueFeature { get; init; } = true;

    /// <summary>Time zone of the calendar features.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The latest this many months are the test period.</summary>
    public int TestMonths { get; init; } = 3;

    /// <summary>The months before the test period that calibrate probabilities and the policy.</summary>
    public int CalibrationMonths { get; init; } = 3;

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

    /// <summary>The population conditions, parsed.</summary>
    [JsonIgnore]
    public IReadOnlyList<AttributeCondition> PopulationConditions => Population.Select(AttributeCondition.Parse).ToList();

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

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
        if (TestMonths < 1 || CalibrationMonths < 1)
            throw new FormatException($"{source}: testMonths and calibrationMonths must be at least 1");
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
