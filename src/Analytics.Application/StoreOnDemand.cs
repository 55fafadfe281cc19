using Analytics.Storage;

namespace Analytics.Application;

/// <summary>
/// The store of one command: opened on first use (so a command that fails before needs no database) and closed
/// when the command ends. A missing file is an error unless <c>create</c> is set.
/// </summary>
public sealed class StoreOnDemand(string path, string memoryLimit, bool create) : IStoreAccess, IDisposable
{
    private EventStore? _store;

    /// <inheritdoc />
    public string Path { get; } = path == ":memory:" ? path : System.IO.Path.GetFullPath(path);

    /// <summary>Whether the store was opened.</summary>
    public bool IsOpen => _store is not null;

    /// <inheritdoc />
    public Task<T> RunAsync<T>(Func<EventStore, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(work(Open()));
    }

    /// <inheritdoc />
    public Task<T> RunAsync<T>(Func<EventStore, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        return work(Open());
    }

    private EventStore Open()
    {
        if (_store is null)
        {
            Core.Diagnostics.PhaseTrace.Mark("before the store");
            _store = StorePrefetch.Claim(Path, memoryLimit) ?? EventStore.Open(Path, memoryLimit, create);
            Core.Diagnostics.PhaseTrace.Mark("store open (DuckDB, schema)");
        }
        return _store;
    }

    /// <inheritdoc />
    public void Dispose() => _store?.Dispose();
}
