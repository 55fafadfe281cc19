using Analytics.Storage;

namespace Analytics.Application;

/// <summary>
/// One open store used by one caller at a time: the worker's inbox watcher, background services and HTTP API all go
/// through it, because a DuckDB connection is not thread-safe. Thread-safe.
/// </summary>
/// <remarks>
/// A caller may say what it is doing with the store (<see cref="Doing"/>, e.g. "loading orders.csv") and how long
/// it would wait for it (<see cref="WaitAtMost"/>, e.g. an HTTP request); one that waits longer gets a
/// <see cref="StoreBusyException"/> naming what holds the store and since when, instead of hanging.
/// </remarks>
public sealed class SharedStore(EventStore store, TimeProvider? time = null) : IStoreAccess, IDisposable
{
    private static readonly AsyncLocal<string?> CurrentActivity = new();
    private static readonly AsyncLocal<TimeSpan?> CurrentWaitLimit = new();

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private volatile Holder? _holder;

    /// <summary>What holds the store now, and since when; null when it is free.</summary>
    public (string Activity, DateTimeOffset Since)? Busy => _holder is { } h ? (h.Activity, h.Since) : null;

    /// <inheritdoc />
    public string Path => store.Path;

    /// <summary>Names the work of this flow (and the calls it makes) while the returned scope lasts.</summary>
    public static IDisposable Doing(string activity) => new Scope<string?>(CurrentActivity, activity);

    /// <summary>Bounds how long this flow waits for the store while the returned scope lasts.</summary>
    public static IDisposable WaitAtMost(TimeSpan limit) => new Scope<TimeSpan?>(CurrentWaitLimit, limit);

    /// <inheritdoc />
    public async Task<T> RunAsync<T>(Func<EventStore, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await EnterAsync(cancellationToken);
        try
        {
            return work(store);
        }
        finally
        {
            Leave();
        }
    }

    /// <inheritdoc />
    public async Task<T> RunAsync<T>(Func<EventStore, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await EnterAsync(cancellationToken);
        try
        {
            return await work(store);
        }
        finally
        {
            Leave();
        }
    }

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        if (CurrentWaitLimit.Value is { } limit)
        {
            if (!await _lock.WaitAsync(limit, cancellationToken))
            {
                var h = _holder;
                throw new StoreBusyException(h?.Activity ?? "other work", h?.Since ?? _time.GetUtcNow(), limit);
            }
        }
        else
            await _lock.WaitAsync(cancellationToken);
        _holder = new Holder(CurrentActivity.Value ?? "a request", _time.GetUtcNow());
    }

    private void Leave()
    {
        _holder = null;
        _lock.Release();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _lock.Dispose();
        store.Dispose();
    }

    private sealed record Holder(string Activity, DateTimeOffset Since);

    private sealed class Scope<T> : IDisposable
    {
        private readonly AsyncLocal<T?> _slot;
        private readonly T? _previous;

        public Scope(AsyncLocal<T?> slot, T? value)
        {
            _slot = slot;
            _previous = slot.Value;
            slot.Value = value;
        }

        public void Dispose() => _slot.Value = _previous;
    }
}

/// <summary>The store stayed held by other work longer than the caller would wait.</summary>
public sealed class StoreBusyException(string activity, DateTimeOffset since, TimeSpan waited)
    : Exception($"the store is busy ({activity}, since {since:HH:mm:ss} UTC); waited {waited.TotalSeconds:0} s, try again shortly")
{
    /// <summary>What holds the store.</summary>
    public string Activity { get; } = activity;

    /// <summary>Since when.</summary>
    public DateTimeOffset Since { get; } = since;
}
