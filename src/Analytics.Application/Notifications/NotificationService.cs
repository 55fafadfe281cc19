using Analytics.Storage.Notifications;

namespace Analytics.Application.Notifications;

/// <summary>The outbox as the dispatcher and the API see it: what is due, what was delivered, what failed and when to retry.</summary>
public sealed class NotificationService(IStoreAccess store, TimeProvider time)
{
    /// <summary>Longest wait between two attempts at a message.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>Undelivered messages whose next attempt is due, oldest first.</summary>
    public Task<IReadOnlyList<OutboxMessage>> DueAsync(int limit, CancellationToken cancellationToken) =>
        store.RunAsync(s => new Outbox(s).Due(time.GetUtcNow(), limit), cancellationToken);

    /// <summary>Marks a message delivered.</summary>
    public Task DeliveredAsync(long id, CancellationToken cancellationToken) =>
        store.RunAsync(s => { new Outbox(s).Delivered(id, time.GetUtcNow()); return 0; }, cancellationToken);

    /// <summary>Records a failed attempt; the next one waits 2 s, 4 s, … at most <see cref="MaxBackoff"/>.</summary>
    /// <returns>The wait before the next attempt.</returns>
    public async Task<TimeSpan> FailedAsync(OutboxMessage message, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 2 * Math.Pow(2, message.Attempts)));
        await store.RunAsync(s => { new Outbox(s).Failed(message.Id, error, time.GetUtcNow() + backoff); return 0; }, cancellationToken);
        return backoff;
    }

    /// <summary>Messages delivered and waiting.</summary>
    public Task<Result<(long Delivered, long Waiting)>> CountsAsync(CancellationToken cancellationToken) =>
        UseCase.RunAsync(() => store.RunAsync(s => new Outbox(s).Counts(), cancellationToken));
}
