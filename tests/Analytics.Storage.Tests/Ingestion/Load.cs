using Analytics.Storage.Ingestion;

namespace Analytics.Storage.Tests.Ingestion;

/// <summary>Loads files into a store with a fixed clock, so "in the future" is the same on every run.</summary>
internal static class Load
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static FileImportResult File(EventStore store, string path, ColumnMapping? mapping = null, IngestOptions? options = null) =>
        new EventLogLoader(store, options ?? new IngestOptions(), new FixedTime(Now)).LoadAsync(path, mapping, null, CancellationToken.None).GetAwaiter().GetResult();

    public static T Scalar<T>(EventStore store, string sql) => (T)Convert.ChangeType(store.Scalar(sql)!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);

    public static List<object?[]> Rows(EventStore store, string sql)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
