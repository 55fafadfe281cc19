using Analytics.Core.Calendars;
using Analytics.Core.Mining;

namespace Analytics.Storage.Mining;

/// <summary>Business time in SQL: the working intervals of each calendar as a table, joined to instants with ASOF.</summary>
public sealed partial class ProcessMiner
{
    /// <summary>
    /// Fills the temp table <c>business_clock(key, start_ts, end_ts, before)</c> with the working intervals of the
    /// calendar (key '') and of each role ('role:X') and resource ('resource:X') override, over the events in scope.
    /// </summary>
    /// <returns>SQL choosing an event's clock key from its <c>resource</c> and <c>role</c> columns.</returns>
    private string PrepareClock(MiningFilter filter, BusinessCalendar calendar)
    {
        using (var cmd = Connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT min(ts), max(ts) FROM ({Scope(filter)})";
            using var r = cmd.ExecuteReader();
            r.Read();
            var from = r.IsDBNull(0) ? new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) : ((DateTime)r.GetValue(0)).ToUniversalTime();
            var to = r.IsDBNull(1) ? from : ((DateTime)r.GetValue(1)).ToUniversalTime();
            _store.Execute("CREATE OR REPLACE TEMP TABLE business_clock (key VARCHAR, start_ts TIMESTAMPTZ, end_ts TIMESTAMPTZ, before DOUBLE)");
            using var appender = Connection.CreateAppender("temp", "main", "business_clock");
            void Add(string key, BusinessCalendar c)
            {
                // A zero-length sentinel before the range, so instants before the first working period read 0.
                var sentinel = new DateTimeOffset(from.AddDays(-7), TimeSpan.Zero);
                appender.CreateRow().AppendValue(key).AppendValue(sentinel).AppendValue(sentinel).AppendValue(0.0).EndRow();
                foreach (var (start, end, before) in BusinessClock.Build(c, from, to).Intervals)
                    appender.CreateRow().AppendValue(key).AppendValue(new DateTimeOffset(start, TimeSpan.Zero))
                        .AppendValue(new DateTimeOffset(end, TimeSpan.Zero)).AppendValue(before).EndRow();
            }
            Add("", calendar);
            foreach (var (role, c) in calendar.Roles)
                Add("role:" + role, c);
            foreach (var (resource, c) in calendar.Resources)
                Add("resource:" + resource, c);
        }
        var key = "''";
        if (calendar.Roles.Count > 0)
            key = $"CASE WHEN role IN ({Sql.List(calendar.Roles.Keys)}) THEN 'role:' || role ELSE {key} END";
        if (calendar.Resources.Count > 0)
            key = $"CASE WHEN resource IN ({Sql.List(calendar.Resources.Keys)}) THEN 'resource:' || resource ELSE {key} END";
        return key;
    }

    /// <summary>SQL adding column <paramref name="output"/>: the business clock (seconds) at instant column <paramref name="ts"/> of <paramref name="input"/>.</summary>
    private static string AsofClock(string input, string ts, string keySql, string output) => $"""
        SELECT i.*, bc.before + greatest(0, epoch_us(least(i.{ts}, bc.end_ts)) - epoch_us(bc.start_ts)) / 1e6 AS {output}
        FROM (SELECT *, {keySql} AS asof_key_{output} FROM {(input.StartsWith("SELECT", StringComparison.Ordinal) ? "(" + input + ")" : input)}) AS i
        ASOF LEFT JOIN business_clock bc ON bc.key = i.asof_key_{output} AND i.{ts} >= bc.start_ts
        """;
}
