using Analytics.Storage;

namespace Analytics.Application;

/// <summary>What the store holds.</summary>
public static class StoreInfo
{
    /// <summary>Counts of cases, events, activities, quarantined rows and files.</summary>
    public static Task<Result<StoreStatistics>> StatisticsAsync(IStoreAccess store, CancellationToken cancellationToken) =>
        UseCase.RunAsync(() => store.RunAsync(s => s.Statistics(), cancellationToken));
}
