using System.Globalization;

namespace Analytics.Core.Calendars;

/// <summary>Calendars shipped with the product, addressable by name.</summary>
public static class BuiltInCalendars
{
    /// <summary>The prefix of the weekday calendars of any IANA zone: <c>weekdays-9-17:Europe/Berlin</c>.</summary>
    public const string WeekdaysPrefix = "weekdays-9-17:";

    /// <summary>The names that <see cref="TryGet"/> knows (and <c>weekdays-9-17:ZONE</c> for any IANA zone).</summary>
    public static IReadOnlyList<string> Names { get; } = ["utc-weekdays-9-17", "cn-shanghai", WeekdaysPrefix + "ZONE"];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, BusinessCalendar> Zoned = new(StringComparer.Ordinal);

    /// <summary>Looks up a built-in calendar.</summary>
    /// <param name="name"><c>utc-weekdays-9-17</c>, <c>cn-shanghai</c>, or <c>weekdays-9-17:ZONE</c> with an IANA zone.</param>
    /// <param name="calendar">The calendar.</param>
    /// <returns><c>false</c> for an unknown name or zone.</returns>
    public static bool TryGet(string name, out BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(name);
        calendar = name switch
        {
            "utc-weekdays-9-17" => UtcWeekdays9To17,
            "cn-shanghai" => CnShanghai,
            _ => null!,
        };
        if (calendar is null && name.StartsWith(WeekdaysPrefix, StringComparison.Ordinal))
        {
            var zoneId = name[WeekdaysPrefix.Length..];
            if (Zoned.TryGetValue(name, out var known))
                calendar = known;
            else if (TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
                calendar = Zoned.GetOrAdd(name, _ => WeekdaysIn(name, zone));
        }
        return calendar is not null;
    }

    /// <summary>Monday–Friday 09:00–17:00 on the local wall clock of a zone, no holidays.</summary>
    private static BusinessCalendar WeekdaysIn(string name, TimeZoneInfo zone) => new()
    {
        Name = name,
        TimeZone = zone,
        Week = Weekdays([new WorkingPeriod(new TimeOnly(9, 0), new TimeOnly(17, 0))]),
        Source = $"Monday–Friday 09:00–17:00 in {zone.Id}, no holidays",
    };

    /// <summary>Monday–Friday 09:00–17:00 on the UTC wall clock, no holidays: pm4py's business-hours convention.</summary>
    public static BusinessCalendar UtcWeekdays9To17 { get; } = new()
    {
        Name = "utc-weekdays-9-17",
        TimeZone = TimeZoneInfo.Utc,
        Week = Weekdays([new WorkingPeriod(new TimeOnly(9, 0), new TimeOnly(17, 0))]),
        Source = "pm4py.util.business_hours defaults (Monday–Friday 09:00–17:00, no holidays)",
    };

    /// <summary>
    /// Asia/Shanghai office hours (Monday–Friday 09:00–12:00 and 13:00–18:00) with the national public holidays and
    /// make-up working days of 2023, 2024 and 2025.
    /// </summary>
    /// <remarks>
    /// Dates from the State Council General Office notices on public-holiday arrangements:
    /// 国办发明电〔2022〕16号 (2023), 国办发明电〔2023〕7号 (2024), 国办发明电〔2024〕12号 (2025).
    /// Outside those years only weekends are days off.
    /// </remarks>
    public static BusinessCalendar CnShanghai { get; } = new()
    {
        Name = "cn-shanghai",
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
        Week = Weekdays([new WorkingPeriod(new TimeOnly(9, 0), new TimeOnly(12, 0)), new WorkingPeriod(new TimeOnly(13, 0), new TimeOnly(18, 0))]),
        Holidays = Dates(
            // 2023: New Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn + National Day
            "2023-01-02", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27",
            "2023-04-05", "2023-05-01", "2023-05-02", "2023-05-03", "2023-06-22", "2023-06-23",
            "2023-09-29", "2023-10-02", "2023-10-03", "2023-10-04", "2023-10-05", "2023-10-06",
            // 2024
            "2024-01-01", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16",
            "2024-04-04", "2024-04-05", "2024-05-01", "2024-05-02", "2024-05-03", "2024-06-10",
            "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-07",
            // 2025
            "2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04",
            "2025-04-04", "2025-05-01", "2025-05-02", "2025-05-05", "2025-06-02",
            "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"),
        MakeUpDays = Dates(
            "2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08",
            "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
            "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"),
        Source = "State Council General Office notices 国办发明电〔2022〕16号, 〔2023〕7号, 〔2024〕12号",
    };

    private static Dictionary<DayOfWeek, IReadOnlyList<WorkingPeriod>> Weekdays(IReadOnlyList<WorkingPeriod> periods) => new()
    {
        [DayOfWeek.Monday] = periods,
        [DayOfWeek.Tuesday] = periods,
        [DayOfWeek.Wednesday] = periods,
        [DayOfWeek.Thursday] = periods,
        [DayOfWeek.Friday] = periods,
    };

    private static HashSet<DateOnly> Dates(params string[] dates) =>
        dates.Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToHashSet();
}
