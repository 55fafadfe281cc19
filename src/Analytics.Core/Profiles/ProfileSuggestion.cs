namespace Analytics.Core.Profiles;

/// <summary>A profile proposed from the log, with the evidence for each part, for a person to confirm.</summary>
/// <param name="Profile">The proposal.</param>
/// <param name="Evidence">What each part rests on, in words.</param>
/// <param name="Calendars">How well each candidate calendar fits the approvers' events, best first.</param>
public sealed record ProfileSuggestion(ProcessProfile Profile, IReadOnlyList<ProfileFinding> Evidence, IReadOnlyList<CalendarMatch> Calendars);

/// <summary>One piece of evidence.</summary>
/// <param name="Topic">name, calendar, roles, system, side-activities, review, routing or sla.</param>
/// <param name="Text">A sentence with its numbers.</param>
public sealed record ProfileFinding(string Topic, string Text);

/// <summary>How well a calendar fits.</summary>
/// <param name="Calendar">The built-in calendar's name.</param>
/// <param name="InsideShare">Share of the approvers' events that fall in its working time, 0–1.</param>
public sealed record CalendarMatch(string Calendar, double InsideShare);
