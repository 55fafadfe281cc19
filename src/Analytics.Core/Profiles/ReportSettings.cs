namespace Analytics.Core.Profiles;

/// <summary>The weekly report: its language and when the worker writes it (local time of the profile's calendar).</summary>
public sealed record ReportSettings
{
    /// <summary><c>en</c> or <c>zh-CN</c>.</summary>
    public string Language { get; init; } = "en";

    /// <summary>The day the worker writes the report of the week just ended; null turns the schedule off.</summary>
    public DayOfWeek? Day { get; init; } = DayOfWeek.Monday;

    /// <summary>Local time of day on that day, in the calendar's zone.</summary>
    public TimeOnly Time { get; init; } = new(8, 0);
}
