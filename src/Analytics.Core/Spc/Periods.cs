using System.Globalization;

namespace Analytics.Core.Spc;

/// <summary>How timestamped observations are grouped into chart subgroups.</summary>
public enum PeriodKind
{
    /// <summary>Each observation is its own point (individuals).</summary>
    None,
    /// <summary>Calendar days, labelled yyyy-MM-dd.</summary>
    Day,
    /// <summary>ISO 8601 weeks (Monday first), labelled yyyy-Www.</summary>
    Week,
}

/// <summary>Groups timestamped observations into subgroups by day or ISO week in a time zone.</summary>
public static class Periods
{
    /// <summary>The label of the period containing an instant, in a zone.</summary>
    public static string Label(DateTime utc, PeriodKind kind, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return kind switch
        {
            PeriodKind.Day => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PeriodKind.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}"),
            _ => local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// Subgroups of observations per period, in time order. With <paramref name="median"/> each period becomes one
    /// point, its median (a robust weekly statistic for skewed latencies, for I-MR charts).
    /// </summary>
    public static List<Subgroup> Values(IEnumerable<(DateTime Utc, double Value)> observations, PeriodKind kind, TimeZoneInfo zone, bool median)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var ordered = observations.OrderBy(o => o.Utc).ToList();
        if (kind == PeriodKind.None)
            return ordered.Select(o => new Subgroup(Label(o.Utc, kind, zone), [o.Value])).ToList();
        var groups = ordered.GroupBy(o => Label(o.Utc, kind, zone)).ToList();
        return groups.Select(g =>
        {
            var values = g.Select(o => o.Value).ToList();
            return new Subgroup(g.Key, median ? [Median(values)] : values, values.Count);
        }).ToList();
    }

    /// <summary>Per period, the number of flagged cases and the number of cases (for P, NP and Laney P′ charts).</summary>
    public static List<Subgroup> Proportions(IEnumerable<(DateTime Utc, bool Flag)> cases, PeriodKind kind, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(cases);
        if (kind == PeriodKind.None)
            throw new ArgumentException("a ratio needs periods (day or week)", nameof(kind));
        return cases.OrderBy(c => c.Utc).GroupBy(c => Label(c.Utc, kind, zone))
            .Select(g => new Subgroup(g.Key, [g.Count(c => c.Flag)], g.Count())).ToList();
    }

    /// <summary>Counts between successive flagged events (G chart): for each flagged event, the unflagged ones since the last.</summary>
    public static List<Subgroup> Between(IEnumerable<(DateTime Utc, bool Flag)> events, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(events);
        var result = new List<Subgroup>();
        var since = 0;
        foreach (var e in events.OrderBy(e => e.Utc))
        {
            if (!e.Flag)
            {
                since++;
                continue;
            }
            result.Add(new Subgroup(Label(e.Utc, PeriodKind.None, zone), [since]));
            since = 0;
        }
        return result;
    }

    /// <summary>Time between successive flagged events in hours (T chart).</summary>
    public static List<Subgroup> TimeBetween(IEnumerable<(DateTime Utc, bool Flag)> events, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(events);
        var flagged = events.Where(e => e.Flag).Select(e => e.Utc).Order().ToList();
        return flagged.Skip(1).Select((t, i) => new Subgroup(Label(t, PeriodKind.None, zone), [(t - flagged[i]).TotalHours])).ToList();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
