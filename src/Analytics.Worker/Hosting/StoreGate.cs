using Analytics.Storage;

namespace Analytics.Worker.Hosting;

/// <summary>
/// The worker's one database connection, used by one caller at a time: the inbox watcher, the monitor and the HTTP
/// API all go through here, because a DuckDB connection is not thread-safe.
/// </summary>
internal sealed class StoreGate(EventStore store) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public string Path => store.Path;

    public async Task<T> RunAsync<T>(Func<EventStore, T> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return work(store);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<T> RunAsync<T>(Func<EventStore, Task<T>> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return await work(store);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _lock.Dispose();
        store.Dispose();
    }
}
