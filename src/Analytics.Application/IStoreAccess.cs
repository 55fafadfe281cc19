using Analytics.Storage;

namespace Analytics.Application;

/// <summary>
/// How a use case reaches the store. The worker's implementation (<see cref="SharedStore"/>) serialises every caller
/// on its one connection; the command line's (<see cref="StoreOnDemand"/>) opens the file for the one command.
/// </summary>
public interface IStoreAccess
{
    /// <summary>The database file, or <c>:memory:</c>.</summary>
    string Path { get; }

    /// <summary>Runs work with the store held; nothing else uses the connection meanwhile.</summary>
    Task<T> RunAsync<T>(Func<EventStore, T> work, CancellationToken cancellationToken);

    /// <summary>Runs asynchronous work with the store held.</summary>
    Task<T> RunAsync<T>(Func<EventStore, Task<T>> work, CancellationToken cancellationToken);
}
