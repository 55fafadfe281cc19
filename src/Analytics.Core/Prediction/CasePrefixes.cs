using Analytics.Core.Calendars;
using Analytics.Core.WhatIf;

namespace Analytics.Core.Prediction;

/// <summary>Where a case stands at an instant, and (for a case that has ended) how much business time it still had to go.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="AtUtc">The instant.</param>
/// <param name="LastActivity">The last activity recorded before it (the node the case waits after).</param>
/// <param name="Events">Events recorded so far.</param>
/// <param name="ElapsedHours">Business hours since the case's first event.</param>
/// <param name="InNodeHours">Business hours since its last event.</param>
/// <param name="OpenCases">Cases open at the instant (started, not yet ended): the load on the process.</param>
/// <param name="RemainingHours">Business hours from the instant to the case's last event; NaN for a case still open.</param>
public sealed record CasePrefix(string CaseId, DateTime AtUtc, string LastActivity, int Events, double ElapsedHours, double InNodeHours, int OpenCases, double RemainingHours)
{
    /// <summary>The case's attributes as text (what the order is: amount, product line, …).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Cuts cases into prefixes for remaining-time prediction: at each event and every few wall-clock hours between events
/// (a case waiting a day in one node is looked at during the day too, as the worker looks at open cases), up to the
/// case's end or a cut-off instant.
/// </summary>
public static class CasePrefixes
{
    /// <summary>The prefixes of cases.</summary>
    /// <param name="cases">The cases, events in time order.</param>
    /// <param name="clock">Business time; it must span the cases.</param>
    /// <param name="stepHours">Wall-clock hours between looks while a case waits.</param>
    /// <param name="untilUtc">Only instants before this are looked at (the end of what is known).</param>
    /// <param name="open">Cases open at an instant.</param>
    public static List<CasePrefix> Of(IEnumerable<CaseTrace> cases, BusinessClock clock, double stepHours, DateTime untilUtc, Func<DateTime, int> open)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(open);
        var step = TimeSpan.FromHours(stepHours);
        var prefixes = new List<CasePrefix>();
        foreach (var c in cases)
        {
            if (c.Events.Count < 2 || c.Events[^1].Utc >= untilUtc)
                continue; // a case is learnt from (and tested on) once it has ended before the cut
            var end = clock.SecondsAt(c.Events[^1].Utc);
            for (var i = 0; i < c.Events.Count - 1; i++)
                for (var at = c.Events[i].Utc; at < c.Events[i + 1].Utc; at += step)
                {
                    var p = At(c, i, at, clock, open);
                    prefixes.Add(p with { RemainingHours = (end - clock.SecondsAt(at)) / 3600 });
                }
        }
        return prefixes;
    }

    /// <summary>Where an open case stands at an instant after its last event.</summary>
    public static CasePrefix Now(CaseTrace open, DateTime atUtc, BusinessClock clock, Func<DateTime, int> openCases)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.Events.Count == 0)
            throw new ArgumentException("a case without events has no position", nameof(open));
        return At(open, open.Events.Count - 1, atUtc, clock, openCases);
    }

    private static CasePrefix At(CaseTrace c, int last, DateTime at, BusinessClock clock, Func<DateTime, int> open)
    {
        var now = clock.SecondsAt(at);
        return new CasePrefix(c.CaseId, at, c.Events[last].Activity, last + 1, (now - clock.SecondsAt(c.Events[0].Utc)) / 3600,
            (now - clock.SecondsAt(c.Events[last].Utc)) / 3600, open(at), double.NaN) { Attributes = c.Attributes };
    }

    /// <summary>A count of the cases open at an instant, from every case's first and last instant.</summary>
    public static Func<DateTime, int> OpenCounter(IReadOnlyList<CaseTrace> cases, DateTime untilUtc)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var starts = cases.Where(c => c.Events.Count > 0).Select(c => c.Events[0].Utc.Ticks).Order().ToArray();
        var ends = cases.Where(c => c.Events.Count > 0 && c.Events[^1].Utc < untilUtc).Select(c => c.Events[^1].Utc.Ticks).Order().ToArray();
        static int Upto(long[] sorted, long t)
        {
            var i = Array.BinarySearch(sorted, t + 1);
            return i >= 0 ? i : ~i;
        }
        return at => Upto(starts, at.Ticks) - Upto(ends, at.Ticks);
    }
}
