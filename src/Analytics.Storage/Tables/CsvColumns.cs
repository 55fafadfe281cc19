using System.Globalization;
using DuckDB.NET.Data;

namespace Analytics.Storage.Tables;

/// <summary>Reads named columns of any CSV file (header row, delimiter sniffed) with DuckDB's reader, as text.</summary>
public static class CsvColumns
{
    /// <summary>Reads the columns, in file order.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="columns">Column names; each must exist.</param>
    /// <returns>Column name → values (null for empty cells).</returns>
    /// <exception cref="InvalidDataException">The file cannot be read or a column is missing; the message names it.</exception>
    public static IReadOnlyDictionary<string, string?[]> Read(string path, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: no such file");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var reader = $"read_csv({Sql.Literal(path)}, header=true, all_varchar=true)";
        try
        {
            var present = new List<string>();
            using (var describe = connection.CreateCommand())
            {
                describe.CommandText = $"DESCRIBE SELECT * FROM {reader}";
                using var r = describe.ExecuteReader();
                while (r.Read())
                    present.Add(r.GetString(0));
            }
            foreach (var c in columns.Where(c => !present.Contains(c)))
                throw new InvalidDataException($"{path}: no column '{c}'; its columns are: {string.Join(", ", present)}");
            var values = columns.ToDictionary(c => c, _ => new List<string?>());
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT {string.Join(", ", columns.Select(Sql.Ident))} FROM {reader}";
            using (var r = cmd.ExecuteReader())
                while (r.Read())
                    for (var i = 0; i < columns.Count; i++)
                        values[columns[i]].Add(r.IsDBNull(i) ? null : r.GetString(i));
            return values.ToDictionary(p => p.Key, p => p.Value.ToArray());
        }
        catch (DuckDBException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Parses a column as numbers, naming the first cell that is not one.</summary>
    public static double[] Numbers(string path, string column, IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
            if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
                throw new InvalidDataException($"{path}: row {i + 1} of column '{column}' is '{values[i]}', not a number");
        return result;
    }
}
