namespace Analytics.Storage;

/// <summary>What the store holds.</summary>
/// <param name="Cases">Distinct case ids.</param>
/// <param name="Events">Events (quarantined rows excluded).</param>
/// <param name="Activities">Distinct activity names.</param>
/// <param name="Quarantined">Rows kept aside with a reason.</param>
/// <param name="Files">Files loaded.</param>
public sealed record StoreStatistics(long Cases, long Events, long Activities, long Quarantined, long Files);
