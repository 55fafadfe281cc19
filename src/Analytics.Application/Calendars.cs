using Analytics.Core.Calendars;

namespace Analytics.Application;

/// <summary>Resolves a calendar named on a command line or in a request: a built-in name or a calendar JSON file.</summary>
public static class Calendars
{
    /// <summary>The calendar.</summary>
    /// <param name="value">A built-in name or a file path.</param>
    /// <param name="folder">Where a relative file name is looked up first (a scenario's folder), or null.</param>
    /// <exception cref="FormatException">Neither a built-in name nor a readable calendar file; the message says which names exist.</exception>
    public static BusinessCalendar Resolve(string value, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (BuiltInCalendars.TryGet(value, out var calendar))
            return calendar;
        var path = folder is not null && !Path.IsPathRooted(value) && File.Exists(Path.Combine(folder, value)) ? Path.Combine(folder, value) : value;
        if (!File.Exists(path))
            throw new FormatException($"calendar '{value}' is neither a built-in calendar ({string.Join(", ", BuiltInCalendars.Names)}) nor a file");
        using var stream = File.OpenRead(path);
        return BusinessCalendar.Parse(stream, path);
    }

    /// <summary>The calendar for a request: an override when given, else the profile's.</summary>
    internal static BusinessCalendar OrProfile(string? value, Profiles.ActiveProfile profile)
    {
        if (value is null)
            return profile.Calendar;
        try
        {
            return Resolve(value);
        }
        catch (FormatException ex)
        {
            throw RequestException.Invalid("--calendar: " + ex.Message);
        }
    }
}
