namespace Analytics.Core.Profiles;

/// <summary>What the worker announces through the outbox to the webhook.</summary>
public sealed record NotificationSettings
{
    /// <summary>A message for every routing suggestion made at the decision point.</summary>
    public bool RoutingSuggestions { get; init; } = true;

    /// <summary>A message when the weekly report is written.</summary>
    public bool ReportReady { get; init; } = true;
}
