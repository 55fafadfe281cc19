namespace Analytics.Core.Calendars;

/// <summary>
/// A cumulative business-time clock for one calendar over a range of instants: <see cref="SecondsAt"/> counts the
/// working seconds since the start of the range, so the business duration between two instants is one subtraction.
/// </summary>
/// <remarks>
/// Working periods are converted from the calendar's local wall clock to UTC day by day, so a daylight-saving change
/// counts the hours actually elapsed. A local start inside a skipped hour is moved to the end of the gap; an
/// ambiguous local time takes the standard-time reading. Instants outside the range are clamped to it. Immutable.
/// </remarks>
public sealed class BusinessClock
{
    private readonly long[] _starts;
    private readonly long[] _ends;
    private readonly double[] _before;

    private BusinessClock(long[] starts, long[] ends, double[] before)
    {
        _starts = starts;
        _ends = ends;
        _before = before;
    }

    /// <summary>The working intervals in UTC, half-open, with the business seconds accumulated before each.</summary>
    public IEnumerable<(DateTime StartUtc, DateTime EndUtc, double SecondsBefore)> Intervals =>
        _starts.Select((s, i) => (new DateTime(s, DateTimeKind.Utc), new DateTime(_ends[i], DateTimeKind.Utc), _before[i]));

    /// <summary>Builds the clock for a calendar over <c>[fromUtc, toUtc]</c> (widened by a day on each side).</summary>
    /// <param name="calendar">The calendar; its role and resource overrides are not used (build one clock each).</param>
    /// <param name="fromUtc">Earliest instant to be measured.</param>
    /// <param name="toUtc">Latest instant to be measured.</param>
    /// <returns>The clock.</returns>
    public static BusinessClock Build(BusinessCalendar calendar, DateTime fromUtc, DateTime toUtc)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (toUtc < fromUtc)
            throw new ArgumentOutOfRangeException(nameof(toUtc), "the range ends before it starts");
        var zone = calendar.TimeZone;
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), zone)).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(toUtc, DateTimeKind.Utc), zone)).AddDays(1);
        var starts = new List<long>();
        var ends = new List<long>();
        var before = new List<double>();
        var total = 0.0;
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            foreach (var period in calendar.PeriodsOn(date))
            {
                var start = ToUtc(date, period.Start, zone);
                var end = period.End == TimeOnly.MaxValue ? ToUtc(date.AddDays(1), TimeOnly.MinValue, zone) : ToUtc(date, period.End, zone);
                if (end <= start)
                    continue;
                starts.Add(start);
                ends.Add(end);
                before.Add(total);
                total += (end - start) / (double)TimeSpan.TicksPerSecond;
            }
        }
        return new BusinessClock([.. starts], [.. ends], [.. before]);
    }

    /// <summary>Business seconds from the start of the range to <paramref name="utc"/>.</summary>
    public double SecondsAt(DateTime utc)
    {
        var t = utc.Ticks;
        var i = Array.BinarySearch(_starts, t);
        if (i < 0)
            i = ~i - 1; // the last interval starting at or before t
        if (i < 0)
            return 0;
        return _before[i] + (Math.Min(t, _ends[i]) - _starts[i]) / (double)TimeSpan.TicksPerSecond;
    }

    /// <summary>
    /// <see cref="SecondsAt"/> for an instant in ticks, starting the search at <paramref name="hint"/> (the interval
    /// found last) and walking from there: instants of one case lie close together, so this is a step or two where a
    /// binary search takes a dozen. The same value as <see cref="SecondsAt"/>.
    /// </summary>
    /// <param name="ticks">The instant, UTC ticks.</param>
    /// <param name="hint">In: where to start; out: the interval found (−1 before the first).</param>
    public double SecondsAtTicks(long ticks, ref int hint)
    {
        var starts = _starts;
        var i = hint;
        if ((uint)i >= (uint)starts.Length)
            i = 0;
        if (starts.Length == 0)
        {
            hint = -1;
            return 0;
        }
        const int Walk = 8;
        var steps = 0;
        if (starts[i] <= ticks)
        {
            while (i + 1 < starts.Length && starts[i + 1] <= ticks && ++steps < Walk)
                i++;
            if (i + 1 < starts.Length && starts[i + 1] <= ticks)
            {
                var j = Array.BinarySearch(starts, i + 1, starts.Length - i - 1, ticks);
                i = j < 0 ? ~j - 1 : j;
            }
        }
        else
        {
            while (i > 0 && starts[i] > ticks && ++steps < Walk)
                i--;
            if (starts[i] > ticks)
            {
                var j = Array.BinarySearch(starts, 0, i, ticks);
                i = j < 0 ? ~j - 1 : j;
            }
        }
        hint = i;
        if (i < 0)
            return 0;
        return _before[i] + (Math.Min(ticks, _ends[i]) - starts[i]) / (double)TimeSpan.TicksPerSecond;
    }

    /// <summary>The first instant at which the clock reads <paramref name="seconds"/>: the inverse of <see cref="SecondsAt"/>.</summary>
    /// <param name="seconds">Business seconds since the start of the range.</param>
    /// <returns>The instant (UTC); the end of the range when the clock never gets that far.</returns>
    public DateTime InstantAt(double seconds)
    {
        if (_starts.Length == 0)
            throw new InvalidOperationException("the calendar has no working time in this range");
        var i = Array.BinarySearch(_before, seconds);
        if (i < 0)
            i = ~i - 1; // the last interval that starts at or before that reading
        i = Math.Max(0, i);
        var ticks = _starts[i] + (long)Math.Round((seconds - _before[i]) * TimeSpan.TicksPerSecond);
        return new DateTime(Math.Min(ticks, _ends[^1]), DateTimeKind.Utc);
    }

    /// <summary>The instant <paramref name="seconds"/> business seconds after <paramref name="fromUtc"/> (waiting for the next working period first).</summary>
    public DateTime Add(DateTime fromUtc, double seconds) => InstantAt(SecondsAt(fromUtc) + seconds);

    /// <summary>The next instant at or after <paramref name="utc"/> that lies in working time.</summary>
    public DateTime NextWorking(DateTime utc)
    {
        var t = utc.Ticks;
        var i = Array.BinarySearch(_starts, t);
        if (i >= 0)
            return utc;
        i = ~i - 1;
        if (i >= 0 && t < _ends[i])
            return utc;
        return i + 1 < _starts.Length ? new DateTime(_starts[i + 1], DateTimeKind.Utc) : new DateTime(_ends[^1], DateTimeKind.Utc);
    }

    /// <summary>Whether an instant lies in working time (half-open periods; instants outside the range are not).</summary>
    public bool IsWorking(DateTime utc)
    {
        var t = utc.Ticks;
        var i = Array.BinarySearch(_starts, t);
        if (i >= 0)
            return true;
        i = ~i - 1;
        return i >= 0 && t < _ends[i];
    }

    /// <summary>Business seconds in <c>[fromUtc, toUtc)</c>; negative when <paramref name="toUtc"/> is earlier.</summary>
    public double Between(DateTime fromUtc, DateTime toUtc) => SecondsAt(toUtc) - SecondsAt(fromUtc);

    private static long ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Inside a spring-forward gap: the period starts when the clocks resume.
            while (zone.IsInvalidTime(local))
                local = local.AddMinutes(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone).Ticks;
    }
}
