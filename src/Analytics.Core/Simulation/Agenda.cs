namespace Analytics.Core.Simulation;

/// <summary>
/// The clock of a discrete-event simulation: pending happenings ordered by instant, ties in the order they were
/// scheduled (so a run is deterministic). Shared by the demo generator and the what-if simulation.
/// </summary>
/// <typeparam name="T">What happens (an action, or a small record the simulation dispatches on).</typeparam>
/// <remarks>Not thread-safe: one agenda per simulation run.</remarks>
public sealed class Agenda<T>
{
    private readonly PriorityQueue<T, (long Ticks, long Seq)> _queue = new();
    private long _seq;

    /// <summary>Happenings still pending.</summary>
    public int Count => _queue.Count;

    /// <summary>Schedules <paramref name="item"/> at the instant <paramref name="utc"/>.</summary>
    public void At(DateTime utc, T item) => _queue.Enqueue(item, (utc.Ticks, _seq++));

    /// <summary>Takes the earliest pending happening.</summary>
    /// <param name="item">The happening.</param>
    /// <param name="utc">Its instant (UTC).</param>
    /// <returns><c>false</c> when nothing is pending.</returns>
    public bool TryNext(out T item, out DateTime utc)
    {
        if (_queue.TryDequeue(out item!, out var key))
        {
            utc = new DateTime(key.Ticks, DateTimeKind.Utc);
            return true;
        }
        utc = default;
        return false;
    }
}
