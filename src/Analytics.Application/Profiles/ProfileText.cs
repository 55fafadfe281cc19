using System.Globalization;
using Analytics.Core.Profiles;

namespace Analytics.Application.Profiles;

/// <summary>A profile in one line, for people.</summary>
public static class ProfileText
{
    /// <summary>Name, calendar, side activities, review node and SLA.</summary>
    public static string Brief(ProcessProfile p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return string.Join("; ", new[]
        {
            $"'{p.Name}'",
            $"calendar {p.Calendar}",
            p.SideActivities.Count > 0 ? $"side activities {string.Join(", ", p.SideActivities)}" : "no side activities",
            p.Review is { } r ? $"review node {r.Role}{(r.RouteBy is null ? "" : $" (routed by {r.RouteBy})")}{(r.Target is { } t ? string.Create(CultureInfo.InvariantCulture, $", target {t:P0}") : "")}" : "no review node",
            p.Sla.CaseHours is { } h ? string.Create(CultureInfo.InvariantCulture, $"SLA {h:0.#} h") : "no SLA",
        });
    }
}
