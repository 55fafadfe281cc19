using System.Globalization;

namespace Analytics.Storage.Ingestion;

/// <summary>Files whose follow-up work (monitor, routing, notifications) is owed: recorded with the load, removed when done.</summary>
public sealed class PendingFollowUps
{
    private readonly EventStore _store;

    /// <summary>Creates the list over a store.</summary>
    public PendingFollowUps(EventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>The files that still owe their follow-up, oldest first.</summary>
    public IReadOnlyList<int> Owed()
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "SELECT file_id FROM pending_followups ORDER BY file_id";
        using var r = cmd.ExecuteReader();
        var ids = new List<int>();
        while (r.Read())
            ids.Add(r.GetInt32(0));
        return ids;
    }

    /// <summary>The follow-up of a file is done.</summary>
    public void Done(int fileId) => _store.Execute($"DELETE FROM pending_followups WHERE file_id = {fileId.ToString(CultureInfo.InvariantCulture)}");
}
