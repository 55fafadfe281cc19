using System.Globalization;
using Analytics.Storage;

namespace Analytics.Reliability.Tests;

/// <summary>Plain SQL over a store's connection, for assertions.</summary>
internal static class StoreQueries
{
    public static object? Scalar(this EventStore store, string sql)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = sql;
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static long Long(this EventStore store, string sql) => Convert.ToInt64(store.Scalar(sql) ?? 0L, CultureInfo.InvariantCulture);
}
