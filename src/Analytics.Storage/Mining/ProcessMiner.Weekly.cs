using Analytics.Core.Calendars;

namespace Analytics.Storage.Mining;

/// <summary>The per-case facts behind a run of weekly indicators, from one pass over the events.</summary>
public sealed partial class ProcessMiner
{
    /// <summary>
    /// Everything the weekly indicators of the weeks in <c>[fromUtc, toUtc)</c> need, computed once: each case's first
    /// and last instant, and for the cases completed in the span their business throughput, whether an activity repeats,
    /// whether they hold a rejection and whether they visit the review node.
    /// </summary>
    /// <param name="fromUtc">Start of the first week (inclusive).</param>
    /// <param name="toUtc">End of the last week (exclusive).</param>
    /// <param name="calendar">Business calendar of throughput (its role and resource overrides are not used).</param>
    /// <param name="reviewPattern">The review node: an activity, a case-insensitive LIKE pattern with '%', or several separated by '|'; null when the process has none.</param>
    /// <param name="rejectionPattern">Rejection activities, a case-insensitive LIKE pattern.</param>
    /// <param name="weekEnds">Instants at which to list the open cases (each week's end).</param>
    /// <param name="exclude">Activities recorded beside the flow: they neither start nor end a case here.</param>
    /// <returns>Case starts in the span, completed cases in the span, and the start instants of the cases open at each week end.</returns>
    public WeeklyCaseFacts WeeklyFacts(DateTime fromUtc, DateTime toUtc, BusinessCalendar calendar, string? reviewPattern, string rejectionPattern, IReadOnlyList<DateTime> weekEnds, IReadOnlyList<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(weekEnds);
        var flow = exclude is { Count: > 0 } ? $" WHERE activity NOT IN ({Sql.List(exclude)})" : "";
        _store.Execute($"CREATE OR REPLACE TEMP TABLE weekly_case_spans AS SELECT case_id, min(ts) AS first_ts, max(ts) AS last_ts FROM events{flow} GROUP BY case_id");
        try
        {
            var starts = new List<DateTime>();
            using (var cmd = Connection.CreateCommand())
            {
                cmd.CommandText = $"SELECT first_ts FROM weekly_case_spans WHERE first_ts >= {Sql.Timestamp(fromUtc)} AND first_ts < {Sql.Timestamp(toUtc)}";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    starts.Add(((DateTime)r.GetValue(0)).ToUniversalTime());
            }
            var completedScope = new Core.Mining.MiningFilter { EndedFromUtc = fromUtc, EndedToUtc = toUtc };
            PrepareClock(completedScope, calendar with { Roles = new Dictionary<string, BusinessCalendar>(), Resources = new Dictionary<string, BusinessCalendar>() });
            var completed = new List<CompletedCase>();
            using (var cmd = Connection.CreateCommand())
            {
                var perCase = $"""
                    SELECT s.case_id, s.first_ts, s.last_ts, count(*) > count(DISTINCT e.activity) AS reworked,
                           bool_or(e.activity ILIKE {Sql.Literal(rejectionPattern)}) AS rejected, bool_or({(reviewPattern is null ? "false" : Match("e.activity", reviewPattern))}) AS visited
                    FROM weekly_case_spans s JOIN (SELECT * FROM events{flow}) e USING (case_id)
                    WHERE s.last_ts >= {Sql.Timestamp(fromUtc)} AND s.last_ts < {Sql.Timestamp(toUtc)}
                    GROUP BY s.case_id, s.first_ts, s.last_ts
                    """;
                cmd.CommandText = $"SELECT last_ts, b1 - b0, reworked, rejected, visited FROM ({AsofClock(AsofClock($"({perCase})", "first_ts", "''", "b0"), "last_ts", "''", "b1")})";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    completed.Add(new CompletedCase(((DateTime)r.GetValue(0)).ToUniversalTime(), r.GetDouble(1), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4)));
            }
            var open = new List<IReadOnlyList<DateTime>>();
            foreach (var at in weekEnds)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = $"SELECT first_ts FROM weekly_case_spans WHERE first_ts < {Sql.Timestamp(at)} AND last_ts >= {Sql.Timestamp(at)}";
                using var r = cmd.ExecuteReader();
                var list = new List<DateTime>();
                while (r.Read())
                    list.Add(((DateTime)r.GetValue(0)).ToUniversalTime());
                open.Add(list);
            }
            return new WeeklyCaseFacts(starts, completed, open);
        }
        finally
        {
            _store.Execute("DROP TABLE IF EXISTS weekly_case_spans");
        }
    }
}

/// <summary>Per-case facts for weekly indicators.</summary>
/// <param name="Starts">First instants of the cases that started in the span.</param>
/// <param name="Completed">The cases whose last event lies in the span.</param>
/// <param name="OpenAt">For each requested instant, the first instants of the cases open then (started before, last event at or after).</param>
public sealed record WeeklyCaseFacts(IReadOnlyList<DateTime> Starts, IReadOnlyList<CompletedCase> Completed, IReadOnlyList<IReadOnlyList<DateTime>> OpenAt);

/// <summary>A case completed in the span.</summary>
/// <param name="EndedUtc">Its last event.</param>
/// <param name="BusinessSeconds">Throughput (first to last event) in business seconds.</param>
/// <param name="Reworked">An activity occurs more than once.</param>
/// <param name="Rejected">It holds a rejection.</param>
/// <param name="VisitedReview">It visits the review node.</param>
public sealed record CompletedCase(DateTime EndedUtc, double BusinessSeconds, bool Reworked, bool Rejected, bool VisitedReview);
