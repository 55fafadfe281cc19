namespace Analytics.Core.Profiles;

/// <summary>Service levels in business hours of the profile's calendar.</summary>
public sealed record SlaSettings
{
    /// <summary>End-to-end time a case should take at most; null without an SLA.</summary>
    public double? CaseHours { get; init; }

    /// <summary>Waiting before a node (an activity) should take at most, by activity.</summary>
    public IReadOnlyDictionary<string, double> NodeHours { get; init; } = new Dictionary<string, double>();
}
