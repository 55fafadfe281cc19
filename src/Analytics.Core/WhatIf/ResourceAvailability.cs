using Analytics.Core.Calendars;

namespace Analytics.Core.WhatIf;

/// <summary>
/// When each approver is available, as their completions show it, on top of the profile's calendar: the weekdays
/// they work and the hours of their day. An approver who completes orders from 8:00 on a 9:00 calendar starts an
/// hour early; one who never completes on Fridays has Fridays off. Holidays and make-up days stay the calendar's.
/// </summary>
/// <remarks>
/// Only approvers with at least <see cref="MinCompletions"/> completions are judged. An hour of the day is worked
/// when it holds at least a tenth of the completions of an average calendar hour; a calendar weekday is off when it holds
/// less than a fifth of an average weekday's. An approver whose hours and days agree with the calendar keeps it.
/// </remarks>
public static class ResourceAvailability
{
    /// <summary>Completions needed to judge an approver's hours (200).</summary>
    public const int MinCompletions = 200;

    /// <summary>The calendars of approvers whose availability differs from <paramref name="calendar"/>.</summary>
    /// <param name="calendar">The profile's calendar (of the approvers' role).</param>
    /// <param name="completions">Completion instants (UTC) by resource.</param>
    public static IReadOnlyDictionary<string, BusinessCalendar> Discover(BusinessCalendar calendar, IReadOnlyDictionary<string, List<DateTime>> completions)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(completions);
        var result = new Dictionary<string, BusinessCalendar>(StringComparer.Ordinal);
        var workedDays = calendar.Week.Where(d => d.Value.Count > 0).Select(d => d.Key).ToHashSet();
        if (workedDays.Count == 0)
            return result;
        var reference = calendar.Week[workedDays.Contains(DayOfWeek.Monday) ? DayOfWeek.Monday : workedDays.First()];
        var calStart = reference.Min(p => p.Start.ToTimeSpan().TotalHours);
        var calEnd = reference.Max(p => p.End.ToTimeSpan().TotalHours);
        var calHours = reference.Sum(p => (p.End - p.Start).TotalHours);
        foreach (var (resource, times) in completions.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (times.Count < MinCompletions)
                continue;
            var byDay = new int[7];
            var byHour = new int[24];
            var onWorkingDays = 0;
            foreach (var utc in times)
            {
                var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), calendar.TimeZone);
                var date = DateOnly.FromDateTime(local);
                if (calendar.Holidays.Contains(date) || calendar.MakeUpDays.Contains(date))
                    continue;
                byDay[(int)local.DayOfWeek]++;
                if (workedDays.Contains(local.DayOfWeek))
                {
                    byHour[local.Hour]++;
                    onWorkingDays++;
                }
            }
            if (onWorkingDays < MinCompletions)
                continue;
            var perDay = onWorkingDays / (double)workedDays.Count;
            var off = workedDays.Where(d => byDay[(int)d] < 0.2 * perDay).ToHashSet();
            var perHour = onWorkingDays / calHours;
            var worked = Enumerable.Range(0, 24).Where(h => byHour[h] >= 0.1 * perHour).ToArray();
            if (worked.Length == 0)
                continue;
            double start = worked[0], end = worked[^1] + 1;
            // Hours inside the calendar's span count as the calendar's (a lunch break stays); only hours beyond its
            // ends, or calendar hours at its ends without completions, move them.
            var startShift = start < Math.Floor(calStart) ? start - calStart : start > Math.Ceiling(calStart) ? start - calStart : 0;
            var endShift = end > Math.Ceiling(calEnd) ? end - calEnd : end < Math.Floor(calEnd) ? end - calEnd : 0;
            if (startShift == 0 && endShift == 0 && off.Count == 0)
                continue;
            IReadOnlyList<WorkingPeriod> Shape(IReadOnlyList<WorkingPeriod> periods)
            {
                if (periods.Count == 0)
                    return periods;
                if (startShift == endShift)
                    return [.. periods.Select(p => new WorkingPeriod(p.Start.Add(TimeSpan.FromHours(startShift)), p.End.Add(TimeSpan.FromHours(startShift))))];
                var list = periods.ToList();
                list[0] = list[0] with { Start = list[0].Start.Add(TimeSpan.FromHours(startShift)) };
                list[^1] = list[^1] with { End = list[^1].End.Add(TimeSpan.FromHours(endShift)) };
                return [.. list.Where(p => p.End > p.Start)];
            }
            result[resource] = calendar with
            {
                Name = $"{calendar.Name} as {resource} works it",
                Week = calendar.Week.Where(d => !off.Contains(d.Key)).ToDictionary(d => d.Key, d => Shape(d.Value)),
                MakeUpDayPeriods = calendar.MakeUpDayPeriods is { } m ? Shape(m) : null,
                Roles = new Dictionary<string, BusinessCalendar>(),
                Resources = new Dictionary<string, BusinessCalendar>(),
            };
        }
        return result;
    }
}
