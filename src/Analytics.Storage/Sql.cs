using System.Globalization;

namespace Analytics.Storage;

/// <summary>Quoting for SQL text built from names and values that DuckDB cannot take as parameters (table functions, DDL).</summary>
internal static class Sql
{
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Timestamp(DateTime utc) => $"TIMESTAMPTZ '{utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00'";

    public static string List(IEnumerable<string> values) => string.Join(", ", values.Select(Literal));
}
