namespace Analytics.Core.Profiles;

/// <summary>The review node the process wants to use less, e.g. the product managers' review of controlled products.</summary>
public sealed record ReviewSettings
{
    /// <summary>The role that reviews (a role of the log, e.g. <c>PRODUCT_MANAGER</c>); what-if scenarios name it as their review node.</summary>
    public required string Role { get; init; }

    /// <summary>Activities that are a visit of the review node: exact names or LIKE patterns with '%'.</summary>
    public required IReadOnlyList<string> Activities { get; init; }

    /// <summary>The case attribute that decides today who goes to review (e.g. <c>controlled</c>); null when none does.</summary>
    public string? RouteBy { get; init; }

    /// <summary>The share of completed cases the process aims to send to review, 0–1; null without a target.</summary>
    public double? Target { get; init; }
}
