namespace Analytics.Core.Mining;

/// <summary>A distinct sequence of activities and the cases that follow it.</summary>
/// <param name="Activities">The activities in order (a stable sort on timestamp: ties keep file order).</param>
/// <param name="Count">Cases following this variant.</param>
/// <param name="Coverage">Count as a share of all cases, 0–1.</param>
public sealed record Variant(IReadOnlyList<string> Activities, long Count, double Coverage);
