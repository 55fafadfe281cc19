using Analytics.Core.WhatIf;

namespace Analytics.Core.Profiles;

/// <summary>What a profile is suggested from: a sample of whole cases and a few counts over the whole store.</summary>
/// <param name="SourceName">The name of the first file loaded (for the process's display name), or null.</param>
/// <param name="Cases">Cases in the store.</param>
/// <param name="Events">Events in the store.</param>
/// <param name="Sample">A deterministic sample of whole cases (events in time order, case attributes as text).</param>
/// <param name="Resources">Every resource of the store with its counts.</param>
public sealed record LogEvidence(string? SourceName, long Cases, long Events, IReadOnlyList<CaseTrace> Sample, IReadOnlyList<ResourceEvidence> Resources)
{
    /// <summary>The UTC offsets the loaded timestamps carried, per month (empty where the files had none, e.g. Parquet).</summary>
    public IReadOnlyList<OffsetCount> Offsets { get; init; } = [];
}

/// <summary>How many timestamps of one month carried one UTC offset.</summary>
/// <param name="YearMonth">yyyymm.</param>
/// <param name="OffsetMinutes">The offset, minutes east of UTC.</param>
/// <param name="Timestamps">How many.</param>
public sealed record OffsetCount(int YearMonth, int OffsetMinutes, long Timestamps);

/// <summary>One resource over the whole store.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Events">Its events.</param>
/// <param name="Roles">The distinct roles it acts in.</param>
/// <param name="SameInstantShare">Share of its events that carry the exact instant of one of its events in another case (batch work), 0–1.</param>
public sealed record ResourceEvidence(string Resource, long Events, int Roles, double SameInstantShare);
