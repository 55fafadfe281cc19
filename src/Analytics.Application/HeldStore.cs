using Analytics.Storage;

namespace Analytics.Application;

/// <summary>A store already held by the calling use case, so that one use case can run another inside its own hold.</summary>
internal sealed class HeldStore(EventStore store) : IStoreAccess
{
    public string Path => store.Path;

    public Task<T> RunAsync<T>(Func<EventStore, T> work, CancellationToken cancellationToken) => Task.FromResult(work(store));

    public Task<T> RunAsync<T>(Func<EventStore, Task<T>> work, CancellationToken cancellationToken) => work(store);
}
