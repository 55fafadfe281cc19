namespace Analytics.Core.WhatIf;

/// <summary>One case of a log as the what-if analysis reads it: its events in order and its case attributes.</summary>
/// <param name="CaseId">The case id.</param>
/// <param name="Events">Events in stable time order (ties in file order).</param>
public sealed record CaseTrace(string CaseId, IReadOnlyList<TraceEvent> Events)
{
    /// <summary>Case attributes as text (numbers in invariant culture), used to select segments in scenarios.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}

/// <summary>One event of a <see cref="CaseTrace"/>.</summary>
/// <param name="Activity">The activity.</param>
/// <param name="Utc">When it happened (UTC).</param>
/// <param name="Resource">Who did it, if known.</param>
/// <param name="Role">The role, if known.</param>
public sealed record TraceEvent(string Activity, DateTime Utc, string? Resource, string? Role);
