using Analytics.Core.Calendars;

namespace Analytics.Worker.Cli;

/// <summary>Resolves <c>--calendar</c>: a built-in name or a calendar JSON file.</summary>
internal static class CalendarOption
{
    public static BusinessCalendar Resolve(string value)
    {
        if (BuiltInCalendars.TryGet(value, out var calendar))
            return calendar;
        if (!File.Exists(value))
            throw new UsageException($"--calendar: '{value}' is neither a built-in calendar ({string.Join(", ", BuiltInCalendars.Names)}) nor a file");
        try
        {
            using var stream = File.OpenRead(value);
            return BusinessCalendar.Parse(stream, value);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
