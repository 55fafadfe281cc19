using Analytics.Storage;

namespace Analytics.Application;

/// <summary>
/// One open store used by one caller at a time: the worker's inbox watcher, background services and HTTP API all go
/// through it, because a DuckDB connection is not thread-safe. Thread-safe.
/// </summary>
public sealed class SharedStore(EventStore store) : IStoreAccess, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <inheritdoc />
    public string Path => store.Path;

    /// <inheritdoc />
    public async Task<T> RunAsync<T>(Func<EventStore, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
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

    /// <inheritdoc />
    public async Task<T> RunAsync<T>(Func<EventStore, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
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

    /// <inheritdoc />
    public void Dispose()
    {
        _lock.Dispose();
        store.Dispose();
    }
}
