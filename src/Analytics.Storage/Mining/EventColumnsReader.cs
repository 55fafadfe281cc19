using Analytics.Core.Mining.Columnar;

namespace Analytics.Storage.Mining;

/// <summary>
/// Reads the store's events as <see cref="EventColumns"/>: DuckDB sorts them (case, then timestamp, file and row)
/// and numbers activities, resources and roles; here they are only copied into arrays.
/// </summary>
internal static class EventColumnsReader
{
    /// <summary>The events of <paramref name="scopeSql"/> (a query with the columns of <c>events</c>), as columns.</summary>
    public static EventColumns Read(EventStore store, string scopeSql, CancellationToken cancellationToken)
    {
        var connection = store.Connection;
        string[] Names(string column)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT DISTINCT {column} FROM events WHERE {column} IS NOT NULL ORDER BY 1";
            using var r = cmd.ExecuteReader();
            var names = new List<string>();
            while (r.Read())
                names.Add(r.GetString(0));
            return [.. names];
        }
        var activities = Names("activity");
        var resources = Names("resource");
        var roles = Names("role");
        long count;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT count(*) FROM ({scopeSql})";
            count = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        if (count > int.MaxValue)
            throw new InvalidOperationException($"{count:N0} events do not fit in one set of columns");
        var n = (int)count;
        var activity = new int[n];
        var micros = new long[n];
        var resource = new int[n];
        var role = new int[n];
        var caseNumbers = new List<long>();
        var caseStarts = new List<int>();
        using (var interrupt = store.InterruptOn(cancellationToken))
        using (var cmd = connection.CreateCommand())
        {
            // Strings travel as small integers: reading a string per event costs more than the mining itself.
            // The dictionaries are those of the whole table (a superset for a part of it), numbered in the order of
            // the names read above; the scope is named once, so DuckDB does not materialise it.
            cmd.CommandText = $"""
                WITH a AS (SELECT activity, (row_number() OVER (ORDER BY activity) - 1)::BIGINT AS id FROM (SELECT DISTINCT activity FROM events)),
                r AS (SELECT resource, (row_number() OVER (ORDER BY resource) - 1)::BIGINT AS id FROM (SELECT DISTINCT resource FROM events WHERE resource IS NOT NULL)),
                o AS (SELECT role, (row_number() OVER (ORDER BY role) - 1)::BIGINT AS id FROM (SELECT DISTINCT role FROM events WHERE role IS NOT NULL))
                SELECT s.case_no, a.id, epoch_us(s.ts), coalesce(r.id, -1), coalesce(o.id, -1)
                FROM ({scopeSql}) s JOIN a USING (activity) LEFT JOIN r USING (resource) LEFT JOIN o USING (role)
                ORDER BY s.case_no, s.ts, s.file_id, s.seq
                """;
            using var reader = cmd.ExecuteReader();
            var i = 0;
            var last = long.MinValue;
            while (reader.Read())
            {
                if (i >= n)
                    throw new InvalidOperationException("the store changed while its events were read");
                var c = reader.GetInt64(0);
                if (c != last)
                {
                    caseNumbers.Add(c);
                    caseStarts.Add(i);
                    last = c;
                }
                activity[i] = (int)reader.GetInt64(1);
                micros[i] = reader.GetInt64(2);
                resource[i] = (int)reader.GetInt64(3);
                role[i] = (int)reader.GetInt64(4);
                i++;
            }
            if (i != n)
                throw new InvalidOperationException("the store changed while its events were read");
        }
        caseStarts.Add(n);
        var columns = new EventColumns([.. caseStarts], [.. caseNumbers], activity, micros, resource, role, activities, resources, roles);
        columns.Validate();
        return columns;
    }
}
