using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Routing;
using Analytics.Core.Spc;
using Analytics.Core.WhatIf;

namespace Analytics.Core.Profiles;

/// <summary>
/// Proposes a process profile from a log: the calendar whose working time holds most of the approvers' events, system
/// accounts (batch work at one instant, or a system-like name), the requester's role, each role as pool, delay or
/// system, activities recorded beside the flow (off the approvers' calendar), a review node whose visits one case
/// attribute decides, the decision point before it, and an SLA from the end-to-end times. Every part comes with the
/// evidence it rests on; nothing is applied until a person accepts it.
/// </summary>
public static partial class ProfileSuggester
{
    /// <summary>Zones whose 09–17 weekdays are tried, besides the named built-in calendars.</summary>
    internal static IReadOnlyList<string> CandidateZones { get; } =
    [
        "Europe/London", "Europe/Berlin", "Europe/Helsinki", "Europe/Moscow", "Asia/Dubai", "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo",
        "Australia/Sydney", "America/Sao_Paulo", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    ];

    private const double SystemSameInstantShare = 0.2;

    /// <summary>Proposes a profile.</summary>
    /// <param name="evidence">The sample and counts.</param>
    /// <param name="cancellationToken">Checked between the steps.</param>
    public static ProfileSuggestion Suggest(LogEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var findings = new List<ProfileFinding>();
        var sample = evidence.Sample.Where(c => c.Events.Count > 0).ToList();
        var name = DisplayName(evidence.SourceName);
        findings.Add(new("name", $"'{name}', from the first file loaded ({evidence.SourceName ?? "none"}); set name to the process's own name."));

        // System accounts: batch work at one instant, or a system-like name.
        // A resource in many roles that also works in bursts is more likely an account several people share.
        var system = evidence.Resources
            .Where(r => SystemName().IsMatch(r.Resource) || (r.Events >= 50 && (r.SameInstantShare >= 0.5 || (r.SameInstantShare >= SystemSameInstantShare && r.Roles <= 2))))
            .OrderByDescending(r => r.Events).ToList();
        var systemSet = system.Select(r => r.Resource).ToHashSet(StringComparer.Ordinal);
        foreach (var r in system)
            findings.Add(new("system", string.Create(CultureInfo.InvariantCulture,
                $"{r.Resource} is a system or batch account: {r.SameInstantShare:P0} of its {r.Events:N0} events share their exact instant with its events in other cases{(SystemName().IsMatch(r.Resource) ? ", and its name says so" : "")}.")));
        var shared = evidence.Resources.Where(r => r.Roles > 2 && !systemSet.Contains(r.Resource)).Select(r => r.Resource).ToHashSet(StringComparer.Ordinal);
        var sharedList = evidence.Resources.Where(r => shared.Contains(r.Resource)).OrderByDescending(r => r.Events).ToList();
        if (sharedList.Count > 0)
            findings.Add(new("roles", string.Join(", ", sharedList.Take(5).Select(r => $"{r.Resource} acts in {r.Roles} roles"))
                + (sharedList.Count > 5 ? $", and {sharedList.Count - 5} more resources in more than two roles" : "")
                + (sharedList.Count == 1 ? ": a shared or anonymised account, not one approver." : ": shared or anonymised accounts, or people who act in many roles; their events do not count as one approver's.")));

        // The requester: whoever records the first event of a case.
        var startRoles = sample.Select(c => c.Events[0].Role).Where(r => r is not null).GroupBy(r => r!, StringComparer.Ordinal)
            .Select(g => (Role: g.Key, Count: g.Count())).OrderByDescending(g => g.Count).ToList();
        var requesterRole = startRoles.Count > 0 && startRoles[0].Count >= 0.6 * sample.Count ? startRoles[0].Role : null;
        cancellationToken.ThrowIfCancellationRequested();

        // Roles.
        var roles = new Dictionary<string, RoleKind>(StringComparer.Ordinal);
        var roleEvents = sample.SelectMany(c => c.Events.Select((e, i) => (Case: c, Event: e, Index: i))).Where(x => x.Event.Role is not null)
            .GroupBy(x => x.Event.Role!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        var pools = new List<string>();
        var unnamed = new List<string>();
        foreach (var g in roleEvents)
        {
            var n = g.Count();
            var bySystem = g.Count(x => x.Event.Resource is { } r && systemSet.Contains(r));
            var individual = g.Count(x => x.Event.Resource is { } r && !systemSet.Contains(r) && !shared.Contains(r) && r != x.Case.Events[0].Resource);
            if (bySystem >= 0.8 * n)
            {
                roles[g.Key] = RoleKind.System;
                findings.Add(new("roles", string.Create(CultureInfo.InvariantCulture, $"{g.Key}: system ({bySystem / (double)n:P0} of its events are by system accounts).")));
            }
            else if (g.Key == requesterRole)
            {
                roles[g.Key] = RoleKind.Delay;
                findings.Add(new("roles", string.Create(CultureInfo.InvariantCulture,
                    $"{g.Key}: delay, the requester ({startRoles[0].Count / (double)sample.Count:P0} of cases start with its event).")));
            }
            else if (individual >= 0.5 * n)
            {
                roles[g.Key] = RoleKind.Pool;
                var people = g.Where(x => x.Event.Resource is not null).Select(x => x.Event.Resource!).Distinct(StringComparer.Ordinal).Count();
                pools.Add($"{g.Key} ({people} named {(people == 1 ? "approver" : "approvers")})");
            }
            else
            {
                roles[g.Key] = RoleKind.Delay;
                unnamed.Add(string.Create(CultureInfo.InvariantCulture, $"{g.Key} ({individual / (double)n:P0})"));
            }
        }
        if (pools.Count > 0)
            findings.Add(new("roles", $"Approver pools: {List(pools)}."));
        if (unnamed.Count > 0)
            findings.Add(new("roles", $"Delays, because few of their events name an individual approver (share in brackets; the rest are shared accounts or the requester), so no queue can be seen: {List(unnamed)}."));
        cancellationToken.ThrowIfCancellationRequested();

        // Calendar: the approvers' events (not a case's first event, not the requester's, not a system's).
        bool IsApproverEvent(CaseTrace c, TraceEvent e, int index) => index > 0
            && !(e.Resource is { } r && (systemSet.Contains(r) || (r == c.Events[0].Resource && !shared.Contains(r))))
            && !(e.Role is { } role && (role == requesterRole || roles.GetValueOrDefault(role) == RoleKind.System));
        var approverEvents = sample.SelectMany(c => c.Events.Select((e, i) => (c, e, i))).Where(x => IsApproverEvent(x.c, x.e, x.i)).Select(x => x.e).ToList();
        if (approverEvents.Count < 200)
            approverEvents = sample.SelectMany(c => c.Events.Skip(1)).ToList();
        var (calendar, matches) = MatchCalendar(approverEvents, evidence.Offsets, null);
        cancellationToken.ThrowIfCancellationRequested();

        // Side activities: recorded off the approvers' calendar, not by the requester or a system.
        var sideActivities = new List<string>();
        if (approverEvents.Count > 0 && matches.Count > 0)
        {
            var approverShare = matches[0].InsideShare;
            var all0 = sample.SelectMany(c => c.Events).ToList();
            var clock = BusinessClock.Build(calendar, all0.Min(e => e.Utc), all0.Max(e => e.Utc));
            var byActivity = sample.SelectMany(c => c.Events.Select((e, i) => (c, e, i))).GroupBy(x => x.e.Activity, StringComparer.Ordinal);
            foreach (var g in byActivity.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var all = g.ToList();
                if (all.Count < 30 || all.Count(x => x.i == 0) > 0.2 * all.Count)
                    continue;
                var role = all.GroupBy(x => x.e.Role ?? "", StringComparer.Ordinal).OrderByDescending(r => r.Count()).First().Key;
                if (role.Length > 0 && (role == requesterRole || roles.GetValueOrDefault(role) == RoleKind.System))
                    continue;
                var inside = all.Count(x => clock.IsWorking(x.e.Utc)) / (double)all.Count;
                if (inside < Math.Min(0.6, approverShare - 0.3))
                {
                    sideActivities.Add(g.Key);
                    var weekend = all.Count(x => TimeZoneInfo.ConvertTimeFromUtc(x.e.Utc, calendar.TimeZone).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) / (double)all.Count;
                    findings.Add(new("side-activities", string.Create(CultureInfo.InvariantCulture,
                        $"'{g.Key}' is recorded beside the flow: {inside:P0} of its events fall in working time against {approverShare:P0} of the approvers' events, {weekend:P0} on a Saturday or Sunday{(role.Length > 0 ? $" (role {role})" : "")}.")));
                }
            }
            if (sideActivities.Count == 0)
                findings.Add(new("side-activities", "No activity is recorded off the approvers' calendar: none is proposed as a side activity."));
        }
        // A role that only records side activities is a system beside the flow.
        foreach (var (role, _) in roles.ToList())
        {
            var activities = sample.SelectMany(c => c.Events).Where(e => e.Role == role).Select(e => e.Activity).Distinct(StringComparer.Ordinal).ToList();
            if (activities.Count > 0 && activities.All(sideActivities.Contains) && roles[role] != RoleKind.System)
            {
                roles[role] = RoleKind.System;
                findings.Add(new("roles", $"{role}: system, as it records only activities beside the flow ({string.Join(", ", activities)})."));
            }
        }
        cancellationToken.ThrowIfCancellationRequested();

        // The calendar once more without the side activities, which follow another clock; this match is the one proposed.
        var flowEvents = approverEvents.Where(e => !sideActivities.Contains(e.Activity)).ToList();
        (calendar, matches) = MatchCalendar(flowEvents.Count >= 200 ? flowEvents : approverEvents, evidence.Offsets, findings);
        cancellationToken.ThrowIfCancellationRequested();

        // Review node and routing decision.
        var side = sideActivities.ToHashSet(StringComparer.Ordinal);
        var (review, routing) = SuggestReview(sample, roles, side, calendar, findings);

        // SLA: a round number near the 80th percentile of end-to-end business hours.
        var sla = SuggestSla(sample, calendar, side, findings);

        var monitor = ProcessProfile.DefaultMonitor.ToList();
        if (review is not null)
            monitor.Add(new MonitoredChart { Metric = "review-ratio", Node = string.Join("|", review.Activities), Chart = "laney-p", Subgroup = "week" });
        var profile = new ProcessProfile
        {
            Name = name,
            Calendar = CalendarChoice.BuiltIn(calendar.Name),
            SideActivities = sideActivities,
            Roles = roles,
            SystemResources = system.Select(r => r.Resource).ToList(),
            Review = review,
            Routing = routing,
            Sla = new SlaSettings { CaseHours = sla },
            Monitor = monitor,
        };
        return new ProfileSuggestion(profile, findings, matches);
    }

    private static (BusinessCalendar Calendar, IReadOnlyList<CalendarMatch> Matches) MatchCalendar(List<TraceEvent> events, IReadOnlyList<OffsetCount> offsets,
        List<ProfileFinding>? findings)
    {
        BuiltInCalendars.TryGet(ProcessProfile.DefaultCalendar, out var fallback);
        if (events.Count == 0)
        {
            findings?.Add(new("calendar", $"No approver events to match a calendar against: {fallback.Name} is proposed."));
            return (fallback, []);
        }
        // Dates without a time of day say nothing about working hours.
        var midnight = events.Count(e => e.Utc.TimeOfDay == TimeSpan.Zero) / (double)events.Count;
        if (midnight > 0.9)
        {
            findings?.Add(new("calendar", string.Create(CultureInfo.InvariantCulture,
                $"{midnight:P0} of the events carry a date without a time of day, so working hours cannot be seen: {fallback.Name} is proposed; business hours on this log mean little.")));
            return (fallback, []);
        }
        var names = new List<string> { "cn-shanghai", ProcessProfile.DefaultCalendar };
        names.AddRange(CandidateZones.Select(z => BuiltInCalendars.WeekdaysPrefix + z));
        var calendars = names.Select(n => BuiltInCalendars.TryGet(n, out var c) ? c : throw new InvalidOperationException(n)).ToList();
        // The offsets written in the data, where they say something (not all +00:00), keep only the zones that agree.
        var offsetNote = OffsetFilter(offsets, calendars, out var agreeing);
        if (agreeing.Count > 0)
            calendars = agreeing;
        // A deterministic subsample bounds the work on large logs (the shares move by well under a point).
        var step = Math.Max(1, events.Count / 20_000);
        var probe = events.Where((_, i) => i % step == 0).ToList();
        var (from, to) = (probe.Min(e => e.Utc), probe.Max(e => e.Utc));
        var matches = calendars.Select(c =>
        {
            var clock = BusinessClock.Build(c, from, to);
            return new CalendarMatch(c.Name, probe.Count(e => clock.IsWorking(e.Utc)) / (double)probe.Count);
        }).OrderByDescending(m => m.InsideShare).ToList();
        BuiltInCalendars.TryGet(matches[0].Calendar, out var best);
        if (findings is null)
            return (best, matches);
        var local = events.Select(e => TimeZoneInfo.ConvertTimeFromUtc(e.Utc, best.TimeZone)).ToList();
        var hours = local.GroupBy(t => t.Hour).ToDictionary(g => g.Key, g => g.Count());
        var busy = hours.Where(h => h.Value >= 0.02 * local.Count).Select(h => h.Key).Order().ToList();
        var weekend = local.Count(t => t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) / (double)local.Count;
        var text = new StringBuilder();
        if (offsetNote is not null)
            text.Append(offsetNote).Append(' ');
        text.Append(CultureInfo.InvariantCulture, $"{matches[0].InsideShare:P1} of {events.Count:N0} approver events fall in the working time of {best.Name} ({best.Source})");
        if (matches.Count > 1)
            text.Append("; next: ").Append(string.Join(", ", matches.Skip(1).Take(3).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Calendar} {m.InsideShare:P1}"))));
        if (busy.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $". In {best.TimeZone.Id} the busy hours (2% of events or more) run {busy[0]:00}:00–{busy[^1] + 1:00}:00, and {weekend:P1} of events fall on a Saturday or Sunday");
        if (best.Holidays.Count > 0)
        {
            var onHolidays = local.Count(t => best.Holidays.Contains(DateOnly.FromDateTime(t))) / (double)local.Count;
            text.Append(CultureInfo.InvariantCulture, $"; {onHolidays:P1} on its public holidays");
        }
        text.Append('.');
        if (matches[0].InsideShare < 0.5)
            text.Append(" No calendar holds even half of them: the approvers may work around the clock or across zones; give a calendar of your own.");
        findings.Add(new("calendar", text.ToString()));
        return (best, matches);
    }

    /// <summary>
    /// The candidate calendars whose zone had, in each month, the offset the data's timestamps carried (90% of them at
    /// least); none when the offsets say nothing (too few, or all +00:00 as an export in UTC writes them).
    /// </summary>
    /// <returns>A sentence on the offsets, or null.</returns>
    private static string? OffsetFilter(IReadOnlyList<OffsetCount> offsets, List<BusinessCalendar> calendars, out List<BusinessCalendar> agreeing)
    {
        agreeing = [];
        var total = offsets.Sum(o => o.Timestamps);
        if (total < 100 || offsets.All(o => o.OffsetMinutes == 0))
            return null;
        static string Offset(int minutes) => string.Create(CultureInfo.InvariantCulture, $"{(minutes < 0 ? '-' : '+')}{Math.Abs(minutes) / 60:00}:{Math.Abs(minutes) % 60:00}");
        var shares = offsets.GroupBy(o => o.OffsetMinutes).OrderByDescending(g => g.Sum(o => o.Timestamps))
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{Offset(g.Key)} ({g.Sum(o => o.Timestamps) / (double)total:P0})")).ToList();
        agreeing = calendars.Where(c => offsets.Where(o =>
        {
            var mid = new DateTime(o.YearMonth / 100, o.YearMonth % 100, 15, 12, 0, 0, DateTimeKind.Utc);
            return (int)c.TimeZone.GetUtcOffset(mid).TotalMinutes == o.OffsetMinutes;
        }).Sum(o => o.Timestamps) >= 0.9 * total).ToList();
        return agreeing.Count == 0
            ? $"The timestamps carry the UTC offsets {string.Join(", ", shares)}, which no candidate zone had in those months; give a calendar of the right zone."
            : $"The timestamps carry the UTC offsets {string.Join(", ", shares)}: only zones with those offsets in those months were matched ({string.Join(", ", agreeing.Select(c => c.TimeZone.Id).Distinct())}).";
    }

    private static (ReviewSettings?, RoutingConfig?) SuggestReview(List<CaseTrace> sample, IReadOnlyDictionary<string, RoleKind> roles,
        HashSet<string> side, BusinessCalendar calendar, List<ProfileFinding> findings)
    {
        if (sample.Count < 50)
            return (null, null);
        var candidates = new List<(string Role, double Share, string Key, string Value, bool Negated, double Agreement)>();
        foreach (var (role, kind) in roles.Where(r => r.Value == RoleKind.Pool).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var visited = sample.Select(c => c.Events.Any(e => e.Role == role)).ToList();
            var share = visited.Count(v => v) / (double)sample.Count;
            if (share is < 0.05 or > 0.9)
                continue;
            if (BestExplanation(sample, visited) is { } rule)
                candidates.Add((role, share, rule.Key, rule.Value, rule.Negated, rule.Agreement));
        }
        if (candidates.Count == 0)
        {
            findings.Add(new("review", "No approver pool is visited by a part of the cases that one case attribute decides: no review node is proposed (no review card, ratio chart or routing section)."));
            return (null, null);
        }
        var best = candidates.OrderByDescending(c => c.Share).First();
        var condition = $"{best.Key}{(best.Negated ? "!=" : "=")}{best.Value}";
        var reviewActivities = sample.SelectMany(c => c.Events).Where(e => e.Role == best.Role).Select(e => e.Activity)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        findings.Add(new("review", string.Create(CultureInfo.InvariantCulture,
            $"{best.Role} is the review node: {best.Share:P1} of cases visit it, and {condition} decides which ({best.Agreement:P1} agreement); activities {string.Join(", ", reviewActivities)}. Set review.target to the share you aim for.")));
        foreach (var other in candidates.Where(c => c.Role != best.Role))
            findings.Add(new("review", string.Create(CultureInfo.InvariantCulture, $"{other.Role} is also visited by a part of the cases ({other.Share:P1}, decided by {other.Key}): not proposed.")));
        var review = new ReviewSettings { Role = best.Role, Activities = reviewActivities, RouteBy = best.Key };

        // The decision point: the activity right before the review node's first event.
        var before = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in sample)
        {
            var events = c.Events.Where(e => !side.Contains(e.Activity)).ToList();
            var first = events.FindIndex(e => e.Role == best.Role);
            if (first > 0)
                before[events[first - 1].Activity] = before.GetValueOrDefault(events[first - 1].Activity) + 1;
        }
        var outcomes = reviewActivities.Where(a => NeedsReview().IsMatch(a)).ToList();
        if (before.Count == 0 || outcomes.Count == 0)
        {
            findings.Add(new("routing", $"No routing decision is proposed: {(before.Count == 0 ? "no activity comes before the review node" : "none of its activities reads as a change or rejection")}."));
            return (review, null);
        }
        var decision = before.OrderByDescending(b => b.Value).First();
        var population = sample.Where(c => Holds(c.Attributes, best.Key, best.Value, best.Negated)).ToList();
        var features = population.SelectMany(c => c.Attributes.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(k => k != best.Key && population.Count(c => c.Attributes.ContainsKey(k)) >= 0.95 * population.Count)
            .Where(k =>
            {
                var values = population.Select(c => c.Attributes.GetValueOrDefault(k)).Where(v => v is not null).ToList();
                var numeric = values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
                var timestamp = !numeric && values.Take(50).All(v => v!.Length >= 10 && DateTime.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
                var distinct = values.Distinct(StringComparer.Ordinal).Count();
                return !timestamp && (numeric || distinct <= 50);
            }).ToList();
        var routing = new RoutingConfig
        {
            Decision = decision.Key,
            Population = [condition],
            LabelActivities = outcomes,
            CaseAttributes = features,
            TimeZone = calendar.TimeZone.Id,
        };
        findings.Add(new("routing", string.Create(CultureInfo.InvariantCulture,
            $"Routing is decided at '{decision.Key}' (it comes right before {best.Role} in {decision.Value / (double)before.Values.Sum():P0} of visits); a review was needed when it ended in {string.Join(" or ", outcomes)}; features: {string.Join(", ", features)}. Check them for values known only at the end of a case.")));
        return (review, routing);
    }

    /// <summary>The single case-attribute value that best decides a yes/no per case: <c>key = value</c> or <c>key != value</c>.</summary>
    private static (string Key, string Value, bool Negated, double Agreement)? BestExplanation(List<CaseTrace> sample, List<bool> visited)
    {
        (string, string, bool, double)? best = null;
        foreach (var key in sample.SelectMany(c => c.Attributes.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var values = sample.Select(c => c.Attributes.GetValueOrDefault(key)).ToList();
            if (values.Count(v => v is not null) < 0.95 * sample.Count)
                continue;
            var groups = values.Select((v, i) => (v, i)).Where(x => x.v is not null).GroupBy(x => x.v!, StringComparer.Ordinal).ToList();
            if (groups.Count is < 2 or > 20)
                continue;
            foreach (var g in groups)
            {
                var inGroup = g.Select(x => x.i).ToHashSet();
                var agree = visited.Select((v, i) => v == inGroup.Contains(i)).Count(a => a) / (double)sample.Count;
                var (agreement, negated) = agree >= 0.5 ? (agree, false) : (1 - agree, true);
                // Of two equal explanations the positive one reads better (controlled=true rather than controlled!=false).
                if (agreement >= 0.97 && (best is null || agreement > best.Value.Item4 + 1e-12 || (agreement > best.Value.Item4 - 1e-12 && best.Value.Item3 && !negated)))
                    best = (key, g.Key, negated, agreement);
            }
        }
        return best;
    }

    private static bool Holds(IReadOnlyDictionary<string, string> attributes, string key, string value, bool negated) =>
        attributes.TryGetValue(key, out var v) && string.Equals(v, value, StringComparison.Ordinal) != negated;

    private static double? SuggestSla(List<CaseTrace> sample, BusinessCalendar calendar, HashSet<string> side, List<ProfileFinding> findings)
    {
        var spans = sample.Select(c => c.Events.Where(e => !side.Contains(e.Activity)).ToList()).Where(e => e.Count >= 2)
            .Select(e => (From: e[0].Utc, To: e[^1].Utc)).ToList();
        if (spans.Count < 30)
            return null;
        var clock = BusinessClock.Build(calendar, spans.Min(s => s.From), spans.Max(s => s.To));
        var hours = spans.Select(s => clock.Between(s.From, s.To) / 3600).Order().ToList();
        var p80 = DurationSummary.Quantile(hours, 0.8);
        if (!(p80 >= 1))
        {
            findings.Add(new("sla", string.Create(CultureInfo.InvariantCulture,
                $"80% of cases end within {p80 * 60:0.#} business minutes: no SLA in hours is proposed; set sla.caseHours if you promise one.")));
            return null;
        }
        var nice = Nice(p80);
        findings.Add(new("sla", string.Create(CultureInfo.InvariantCulture,
            $"80% of cases end within {p80:0.#} business hours; an end-to-end SLA of {nice:0.#} h is proposed (median {DurationSummary.Quantile(hours, 0.5):0.#} h). Set sla.caseHours to the level you promise.")));
        return nice;
    }

    private static string List(List<string> items) =>
        items.Count <= 8 ? string.Join(", ", items) : string.Join(", ", items.Take(8)) + $" and {items.Count - 8} more";

    /// <summary>A round number at or just above <paramref name="x"/>: 1, 2, 4, 8, 16, 24, 40, 80, 120, 160, 240, 400, …</summary>
    internal static double Nice(double x)
    {
        double[] steps = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 40];
        var scale = 1.0;
        while (x > 40 * scale)
            scale *= 10;
        while (x <= 1 * scale / 10 && scale > 1e-3)
            scale /= 10;
        foreach (var s in steps)
            if (s * scale >= x)
                return s * scale;
        return 40 * scale;
    }

    /// <summary>A display name from a file name: <c>special-price-2000.csv</c> → "Special price", <c>RequestForPayment.xes.gz</c> → "Request for payment".</summary>
    internal static string DisplayName(string? source)
    {
        if (string.IsNullOrWhiteSpace(source))
            return ProcessProfile.Default.Name;
        var name = Path.GetFileName(source);
        foreach (var ext in new[] { ".gz", ".xes", ".csv", ".tsv", ".parquet", ".jsonl", ".json" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                name = name[..^ext.Length];
        name = CamelBoundary().Replace(name, "$1 $2");
        var words = name.Split(['-', '_', ' ', '.'], StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && words[^1].All(char.IsDigit))
            words.RemoveAt(words.Count - 1);
        if (words.Count == 0)
            return ProcessProfile.Default.Name;
        var text = string.Join(' ', words.Select((w, i) => i == 0 ? char.ToUpperInvariant(w[0]) + w[1..] : w.All(char.IsUpper) && w.Length > 1 ? w : w.ToLowerInvariant()));
        return text;
    }

    [GeneratedRegex(@"^(system|batch|robot|bot|auto|automatic|scheduler|job|cron|daemon)([-_ .]|\d|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SystemName();

    [GeneratedRegex(@"reject|change|modif|return|declin|amend|adjust|denied|refus", RegexOptions.IgnoreCase)]
    private static partial Regex NeedsReview();

    [GeneratedRegex(@"([a-z])([A-Z])")]
    private static partial Regex CamelBoundary();
}
