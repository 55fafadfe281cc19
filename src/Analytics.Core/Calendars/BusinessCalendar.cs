using System.Globalization;
using System.Text.Json;

namespace Analytics.Core.Calendars;

/// <summary>
/// When approvers work: weekly working periods in a time zone, public holidays (no work) and make-up working days
/// (a weekend day worked in place of a holiday, as China schedules them), with optional calendars per role or resource.
/// </summary>
/// <remarks>
/// All periods are local wall-clock times in <see cref="TimeZone"/>, the only place a time zone enters the analysis.
/// A make-up working day uses <see cref="MakeUpDayPeriods"/>. Immutable and thread-safe.
/// </remarks>
public sealed record BusinessCalendar
{
    /// <summary>The calendar's name, e.g. <c>cn-shanghai</c>.</summary>
    public required string Name { get; init; }

    /// <summary>IANA time zone of the working periods.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>Working periods by day of week; a day without an entry is not worked.</summary>
    public required IReadOnlyDictionary<DayOfWeek, IReadOnlyList<WorkingPeriod>> Week { get; init; }

    /// <summary>Local dates on which nobody works, whatever the weekday.</summary>
    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();

    /// <summary>Local dates that are worked although their weekday is not (make-up days).</summary>
    public IReadOnlySet<DateOnly> MakeUpDays { get; init; } = new HashSet<DateOnly>();

    /// <summary>Hours of a make-up day; Monday's by default.</summary>
    public IReadOnlyList<WorkingPeriod>? MakeUpDayPeriods { get; init; }

    /// <summary>Where the holiday dates come from.</summary>
    public string? Source { get; init; }

    /// <summary>Calendars of particular roles (e.g. FINANCE), used for waiting before their nodes.</summary>
    public IReadOnlyDictionary<string, BusinessCalendar> Roles { get; init; } = new Dictionary<string, BusinessCalendar>();

    /// <summary>Calendars of particular resources; a resource's calendar wins over its role's.</summary>
    public IReadOnlyDictionary<string, BusinessCalendar> Resources { get; init; } = new Dictionary<string, BusinessCalendar>();

    /// <summary>The working periods of one local date.</summary>
    /// <param name="date">A local date in <see cref="TimeZone"/>.</param>
    /// <returns>The periods, empty on a holiday or a day off.</returns>
    public IReadOnlyList<WorkingPeriod> PeriodsOn(DateOnly date)
    {
        if (Holidays.Contains(date))
            return [];
        if (MakeUpDays.Contains(date))
            return MakeUpDayPeriods ?? (Week.TryGetValue(DayOfWeek.Monday, out var monday) ? monday : []);
        return Week.TryGetValue(date.DayOfWeek, out var periods) ? periods : [];
    }

    /// <summary>Whether an instant falls in working time (half-open periods, local wall clock of <see cref="TimeZone"/>).</summary>
    /// <param name="utc">A UTC instant.</param>
    public bool IsWorkingAt(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone);
        var time = TimeOnly.FromDateTime(local);
        foreach (var p in PeriodsOn(DateOnly.FromDateTime(local)))
            if (time >= p.Start && (time < p.End || p.End == TimeOnly.MaxValue))
                return true;
        return false;
    }

    /// <summary>Reads a calendar from JSON (see <c>data-samples/calendars/</c> for the format).</summary>
    /// <param name="json">The JSON document.</param>
    /// <param name="source">Named in error messages.</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="FormatException">The document is not a valid calendar; the message says where.</exception>
    public static BusinessCalendar Parse(Stream json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            // "base": a built-in calendar whose zone, hours, holidays and make-up days apply unless given here.
            BusinessCalendar? basis = null;
            if (doc.RootElement.TryGetProperty("base", out var b) && !(b.GetString() is { } name && BuiltInCalendars.TryGet(name, out basis)))
                throw new FormatException($"{source}: base '{b}' is not a built-in calendar ({string.Join(", ", BuiltInCalendars.Names)})");
            return FromJson(doc.RootElement, source, basis, topLevel: true);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON: {ex.Message}", ex);
        }
    }

    private static BusinessCalendar FromJson(JsonElement e, string source, BusinessCalendar? parent, bool topLevel = false)
    {
        string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var zoneId = Text("timeZone") ?? parent?.TimeZone.Id ?? throw new FormatException($"{source}: timeZone is required (an IANA name)");
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new FormatException($"{source}: unknown time zone '{zoneId}'", ex);
        }
        var week = parent?.Week ?? new Dictionary<DayOfWeek, IReadOnlyList<WorkingPeriod>>();
        if (e.TryGetProperty("week", out var w))
        {
            var parsed = new Dictionary<DayOfWeek, IReadOnlyList<WorkingPeriod>>();
            foreach (var day in w.EnumerateObject())
            {
                if (!Enum.TryParse<DayOfWeek>(day.Name, ignoreCase: true, out var dow))
                    throw new FormatException($"{source}: '{day.Name}' is not a day of the week");
                parsed[dow] = Periods(day.Value, $"{source}: week.{day.Name}");
            }
            week = parsed;
        }
        var calendar = new BusinessCalendar
        {
            Name = Text("name") ?? parent?.Name ?? Path.GetFileNameWithoutExtension(source),
            TimeZone = zone,
            Week = week,
            Holidays = e.TryGetProperty("holidays", out var h) ? Dates(h, source) : parent?.Holidays ?? new HashSet<DateOnly>(),
            MakeUpDays = e.TryGetProperty("makeUpDays", out var m) ? Dates(m, source) : parent?.MakeUpDays ?? new HashSet<DateOnly>(),
            MakeUpDayPeriods = e.TryGetProperty("makeUpDayHours", out var mh) ? Periods(mh, $"{source}: makeUpDayHours") : parent?.MakeUpDayPeriods,
            Source = Text("source") ?? parent?.Source,
        };
        if (!topLevel)
            return calendar;
        return calendar with
        {
            Roles = Overrides(e, "roles", source, calendar),
            Resources = Overrides(e, "resources", source, calendar),
        };
    }

    private static Dictionary<string, BusinessCalendar> Overrides(JsonElement e, string property, string source, BusinessCalendar parent)
    {
        var result = new Dictionary<string, BusinessCalendar>(StringComparer.Ordinal);
        if (e.TryGetProperty(property, out var o))
            foreach (var p in o.EnumerateObject())
                result[p.Name] = FromJson(p.Value, $"{source}: {property}.{p.Name}", parent) with { Name = $"{parent.Name}/{p.Name}" };
        return result;
    }

    private static List<WorkingPeriod> Periods(JsonElement array, string where)
    {
        var periods = new List<WorkingPeriod>();
        foreach (var pair in array.EnumerateArray())
        {
            var parts = pair.EnumerateArray().Select(p => p.GetString()).ToList();
            if (parts.Count != 2 || !TryTime(parts[0], out var start) || !TryTime(parts[1], out var end))
                throw new FormatException($"{where}: each period is [\"HH:mm\", \"HH:mm\"]");
            if (end <= start)
                throw new FormatException($"{where}: period {parts[0]}–{parts[1]} ends before it starts");
            periods.Add(new WorkingPeriod(start, end));
        }
        periods.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < periods.Count; i++)
            if (periods[i].Start < periods[i - 1].End)
                throw new FormatException($"{where}: periods overlap");
        return periods;
    }

    private static bool TryTime(string? text, out TimeOnly time)
    {
        if (text == "24:00")
        {
            time = TimeOnly.MaxValue;
            return true;
        }
        return TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    private static HashSet<DateOnly> Dates(JsonElement array, string source)
    {
        var dates = new HashSet<DateOnly>();
        foreach (var d in array.EnumerateArray())
        {
            if (!DateOnly.TryParseExact(d.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new FormatException($"{source}: '{d}' is not a date (yyyy-MM-dd)");
            dates.Add(date);
        }
        return dates;
    }
}
