using Analytics.Storage;

namespace Analytics.Application;

/// <summary>
/// Opens an existing store on the second core while a command is still reading its settings and parsing its line:
/// DuckDB's start (loading the library, building its catalog of functions, reading the file's) takes about as long as
/// the rest of a short command, and the two need not wait for each other. The command's <see cref="StoreOnDemand"/>
/// takes the store opened so if it is the same file; a prefetch that failed is dropped, and the command's own open
/// says why. Only for a file that exists: a prefetch never creates a store.
/// </summary>
public static class StorePrefetch
{
    /// <summary>The memory limit the prefetched store is opened with; the command's own is set when it differs.</summary>
    private const string OpenedLimit = "1GB";

    private static readonly Lock Gate = new();
    private static Task<EventStore>? _opening;
    private static string? _path;

    /// <summary>Starts opening the store at <paramref name="path"/> when the file exists and nothing is being opened yet.</summary>
    /// <param name="path">The database file.</param>
    public static void Start(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path == ":memory:")
            return;
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return;
        }
        if (!File.Exists(full))
            return;
        lock (Gate)
        {
            if (_opening is not null)
                return;
            _path = full;
            // A thread of its own: the thread pool's first start would cost the command more than it saves.
            var opening = new TaskCompletionSource<EventStore>(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    opening.SetResult(EventStore.Open(full, OpenedLimit, create: false));
                }
                catch (Exception ex)
                {
                    // Whatever went wrong, the command's own open meets it again and says so.
                    opening.SetException(ex);
                }
            })
            { IsBackground = true, Name = "store prefetch" };
            thread.Start();
            _opening = opening.Task;
        }
    }

    /// <summary>The prefetched store of <paramref name="fullPath"/>, with <paramref name="memoryLimit"/> set; <c>null</c> when there is none or it failed.</summary>
    internal static EventStore? Claim(string fullPath, string memoryLimit)
    {
        Task<EventStore>? opening;
        lock (Gate)
        {
            if (_opening is null || !string.Equals(_path, fullPath, StringComparison.Ordinal))
                return null;
            opening = _opening;
            _opening = null;
        }
        EventStore store;
        try
        {
            store = opening.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The command opens the store itself and reports the problem in its own words.
            return null;
        }
        if (!string.Equals(memoryLimit, OpenedLimit, StringComparison.OrdinalIgnoreCase))
            store.SetMemoryLimit(memoryLimit);
        return store;
    }

    /// <summary>Closes a prefetched store that no command took (the command needed none, or another file).</summary>
    public static void Release()
    {
        Task<EventStore>? opening;
        lock (Gate)
        {
            opening = _opening;
            _opening = null;
        }
        if (opening is null)
            return;
        try
        {
            opening.GetAwaiter().GetResult().Dispose();
        }
        catch (Exception)
        {
            // It never opened: nothing to close.
        }
    }
}
