namespace Analytics.Core.Calendars;

/// <summary>A daily working period in local wall-clock time, half-open: <c>[Start, End)</c>.</summary>
/// <param name="Start">Local start, e.g. 09:00.</param>
/// <param name="End">Local end, later than <paramref name="Start"/> on the same day (use 23:59:59.9999999 for midnight).</param>
public sealed record WorkingPeriod(TimeOnly Start, TimeOnly End);
