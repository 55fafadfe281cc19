using Analytics.Core.Calendars;
using Analytics.Core.Profiles;

namespace Analytics.Application.Profiles;

/// <summary>The profile an analysis runs with: the accepted one, or the defaults with notes saying so.</summary>
/// <param name="Profile">The profile.</param>
/// <param name="Version">The accepted version, or null when the defaults are used.</param>
/// <param name="Calendar">Its calendar, resolved.</param>
/// <param name="Notes">When the defaults are used: which ones, and how to accept a profile.</param>
public sealed record ActiveProfile(ProcessProfile Profile, int? Version, BusinessCalendar Calendar, IReadOnlyList<string> Notes)
{
    /// <summary>Whether a person accepted this profile.</summary>
    public bool Accepted => Version is not null;

    /// <summary>The review activities as one node pattern (names or LIKE patterns separated by '|'), or null without a review node.</summary>
    public string? ReviewPattern => Profile.Review is { } r ? string.Join("|", r.Activities) : null;
}
