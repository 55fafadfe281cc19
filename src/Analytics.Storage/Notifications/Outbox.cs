using System.Globalization;
using DuckDB.NET.Data;

namespace Analytics.Storage.Notifications;

/// <summary>
/// The transactional outbox: messages are written in the same database as the facts they announce, and delivered
/// later by the dispatcher, retried with backoff until the endpoint accepts them. A message's idempotency key is
/// unique, so announcing the same fact twice stores it once, and the receiver can drop repeats of a delivery.
/// </summary>
public sealed class Outbox
{
    private readonly EventStore _store;

    /// <summary>Creates the outbox over a store.</summary>
    public Outbox(EventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Adds a message unless one with the same key exists.</summary>
    /// <returns>Whether it was added.</returns>
    public bool Enqueue(string kind, string idempotencyKey, string payload, DateTimeOffset now)
    {
        if (Convert.ToInt64(_store.Scalar("SELECT count(*) FROM outbox WHERE idempotency_key = $1", idempotencyKey), CultureInfo.InvariantCulture) > 0)
            return false;
        var id = Convert.ToInt64(_store.Scalar("SELECT coalesce(max(id), 0) + 1 FROM outbox"), CultureInfo.InvariantCulture);
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "INSERT INTO outbox VALUES ($1, $2, $3, $4, $5, 0, $5, NULL, NULL)";
        foreach (var v in new object[] { id, kind, idempotencyKey, payload, now })
            cmd.Parameters.Add(new DuckDBParameter(v));
        cmd.ExecuteNonQuery();
        return true;
    }

    /// <summary>Adds messages whose keys are not there yet, numbered in order, in one statement per 500.</summary>
    /// <returns>How many were added.</returns>
    public int EnqueueMany(IReadOnlyList<(string Kind, string IdempotencyKey, string Payload)> messages, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
            return 0;
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in messages.Chunk(500))
        {
            using var cmd = _store.Connection.CreateCommand();
            cmd.CommandText = $"SELECT idempotency_key FROM outbox WHERE idempotency_key IN ({string.Join(", ", chunk.Select((_, i) => "$" + (i + 1)))})";
            foreach (var m in chunk)
                cmd.Parameters.Add(new DuckDBParameter(m.IdempotencyKey));
            using var r = cmd.ExecuteReader();
            while (r.Read())
                known.Add(r.GetString(0));
        }
        var fresh = messages.Where(m => known.Add(m.IdempotencyKey)).ToList();
        var next = Convert.ToInt64(_store.Scalar("SELECT coalesce(max(id), 0) + 1 FROM outbox"), CultureInfo.InvariantCulture);
        foreach (var chunk in fresh.Chunk(500))
        {
            using var cmd = _store.Connection.CreateCommand();
            var rows = new List<string>();
            foreach (var m in chunk)
            {
                var at = cmd.Parameters.Count;
                rows.Add($"(${at + 1}, ${at + 2}, ${at + 3}, ${at + 4}, ${at + 5}, 0, ${at + 5}, NULL, NULL)");
                foreach (var v in new object[] { next++, m.Kind, m.IdempotencyKey, m.Payload, now })
                    cmd.Parameters.Add(new DuckDBParameter(v));
            }
            cmd.CommandText = "INSERT INTO outbox VALUES " + string.Join(", ", rows);
            cmd.ExecuteNonQuery();
        }
        return fresh.Count;
    }

    /// <summary>Undelivered messages whose next attempt is due, oldest first.</summary>
    public IReadOnlyList<OutboxMessage> Due(DateTimeOffset now, int limit)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = $"SELECT id, kind, idempotency_key, payload, attempts FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT {limit}";
        cmd.Parameters.Add(new DuckDBParameter(now));
        using var r = cmd.ExecuteReader();
        var list = new List<OutboxMessage>();
        while (r.Read())
            list.Add(new OutboxMessage(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4)));
        return list;
    }

    /// <summary>Marks a message delivered.</summary>
    public void Delivered(long id, DateTimeOffset now)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "UPDATE outbox SET delivered_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2";
        cmd.Parameters.Add(new DuckDBParameter(now));
        cmd.Parameters.Add(new DuckDBParameter(id));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Records a failed attempt and when to try again.</summary>
    public void Failed(long id, string error, DateTimeOffset nextAttempt)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3";
        cmd.Parameters.Add(new DuckDBParameter(error.Length > 500 ? error[..500] : error));
        cmd.Parameters.Add(new DuckDBParameter(nextAttempt));
        cmd.Parameters.Add(new DuckDBParameter(id));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Counts of messages: delivered and waiting.</summary>
    public (long Delivered, long Waiting) Counts() =>
        (Convert.ToInt64(_store.Scalar("SELECT count(*) FROM outbox WHERE delivered_at IS NOT NULL"), CultureInfo.InvariantCulture),
         Convert.ToInt64(_store.Scalar("SELECT count(*) FROM outbox WHERE delivered_at IS NULL"), CultureInfo.InvariantCulture));
}

/// <summary>A message waiting in the outbox.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Kind">e.g. routing-suggestion.</param>
/// <param name="IdempotencyKey">Sent as the Idempotency-Key header.</param>
/// <param name="Payload">The JSON body.</param>
/// <param name="Attempts">Attempts so far.</param>
public sealed record OutboxMessage(long Id, string Kind, string IdempotencyKey, string Payload, int Attempts);
