using Analytics.Core.Profiles;

namespace Analytics.Application.Profiles;

/// <summary>A stored profile version for people: the profile, where it came from and, for a suggestion, its evidence.</summary>
/// <param name="Version">Its number.</param>
/// <param name="Accepted">Whether it is accepted.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="Profile">The profile.</param>
/// <param name="Evidence">The evidence of a suggestion (empty otherwise).</param>
/// <param name="Calendars">The calendar matches of a suggestion (empty otherwise).</param>
public sealed record ProfileVersion(int Version, bool Accepted, string Source, DateTimeOffset CreatedAt, ProcessProfile Profile,
    IReadOnlyList<ProfileFinding> Evidence, IReadOnlyList<CalendarMatch> Calendars);

/// <summary>What <c>profile show</c> answers: the accepted version, and a suggestion waiting for acceptance.</summary>
/// <param name="Accepted">The accepted profile, or null.</param>
/// <param name="Pending">A newer suggestion not yet accepted, or null.</param>
/// <param name="InUse">The profile analyses use now (the accepted one, or the defaults).</param>
public sealed record ProfileOverview(ProfileVersion? Accepted, ProfileVersion? Pending, ProcessProfile InUse);
