using Analytics.Core.Calendars;

namespace Analytics.Core.WhatIf;

/// <summary>Learns a <see cref="CalibratedProcess"/> from the cases of a training window.</summary>
public static class ProcessCalibrator
{
    /// <summary>Calibrates a model.</summary>
    /// <param name="traces">The training cases (those whose first event lies in the window), events in order.</param>
    /// <param name="options">Calendar, window and pool settings.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">No case with at least one event.</exception>
    public static CalibratedProcess Calibrate(IReadOnlyList<CaseTrace> traces, CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(options);
        var cases = traces.Where(t => t.Events.Count > 0).ToList();
        if (cases.Count == 0)
            throw new ArgumentException("the training window holds no case with events", nameof(traces));
        var calendar = options.Calendar;

        // Activities and their roles.
        var names = cases.SelectMany(c => c.Events).Select(e => e.Activity).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var roleOf = cases.SelectMany(c => c.Events).GroupBy(e => e.Activity, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Where(e => e.Role is not null).GroupBy(e => e.Role!, StringComparer.Ordinal)
                .OrderByDescending(r => r.Count()).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Key).FirstOrDefault() ?? g.Key, StringComparer.Ordinal);

        var first = cases.Min(c => c.Events[0].Utc);
        var last = cases.Max(c => c.Events[^1].Utc);
        var clocks = new Dictionary<string, BusinessClock>(StringComparer.Ordinal);
        BusinessClock ClockOf(string role)
        {
            if (!clocks.TryGetValue(role, out var clock))
                clocks[role] = clock = BusinessClock.Build(CalendarOf(calendar, role), first.AddDays(-3), last.AddDays(3));
            return clock;
        }

        var pools = Pools(cases, roleOf, options, out var placeholders);
        var pooled = pools.Where(p => p.Pooled).Select(p => p.Role).ToHashSet(StringComparer.Ordinal);

        // Response times (delays) per activity and per (previous, activity).
        var delays = new List<double>[names.Length];
        var work = new List<double>[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            delays[i] = [];
            work[i] = [];
        }
        var edgeDelays = new Dictionary<(int, int), List<double>>();
        var delayMonths = new List<int>[names.Length];
        for (var i = 0; i < names.Length; i++)
            delayMonths[i] = [];
        var edgeMonths = new Dictionary<(int, int), List<int>>();
        var pooledEvents = new List<(string Resource, DateTime Utc, DateTime Enabled, int Activity, string Role, IReadOnlyDictionary<string, string> Attributes)>();
        var counts = new int[names.Length];
        var start = new double[names.Length];
        var pairs = new Dictionary<(int, int), Dictionary<int, int>>();
        var segmentPairs = new Dictionary<(string, int, int), Dictionary<int, int>>();
        var singles = new Dictionary<int, int>[names.Length];
        for (var i = 0; i < names.Length; i++)
            singles[i] = [];
        var rework = 0;
        var endings = new Dictionary<int, int>();
        var caseActivities = new List<int[]>(cases.Count);
        foreach (var c in cases)
        {
            var seq = c.Events.Select(e => index[e.Activity]).ToArray();
            int[] distinct = [.. seq.Distinct()];
            caseActivities.Add(distinct);
            if (distinct.Length < seq.Length)
                rework++;
            start[seq[0]]++;
            endings[seq[^1]] = endings.GetValueOrDefault(seq[^1]) + 1;
            for (var i = 0; i < seq.Length; i++)
            {
                counts[seq[i]]++;
                var prev = i == 0 ? -1 : seq[i - 1];
                var next = i + 1 < seq.Length ? seq[i + 1] : -1;
                Increment(pairs, (prev, seq[i]), next);
                if (options.RouteBy is { } by)
                    Increment(segmentPairs, (c.Attributes.GetValueOrDefault(by) ?? "", prev, seq[i]), next);
                singles[seq[i]][next] = singles[seq[i]].GetValueOrDefault(next) + 1;
                if (i == 0)
                    continue;
                var e = c.Events[i];
                var role = roleOf[e.Activity];
                var seconds = Math.Max(0, ClockOf(role).Between(c.Events[i - 1].Utc, e.Utc));
                var month = Seasonality.Period(c.Events[i - 1].Utc);
                delays[seq[i]].Add(seconds);
                delayMonths[seq[i]].Add(month);
                if (!edgeDelays.TryGetValue((prev, seq[i]), out var list))
                {
                    edgeDelays[(prev, seq[i])] = list = [];
                    edgeMonths[(prev, seq[i])] = [];
                }
                list.Add(seconds);
                edgeMonths[(prev, seq[i])].Add(month);
                // Work times come from named individuals only (unless the role was declared a pool): a shared account's or a
                // batch job's completions say nothing of one person's pace.
                if (pooled.Contains(role) && e.Resource is not null
                    && (options.PooledRoles.Contains(role) || (e.Resource != c.Events[0].Resource && !placeholders.Contains(e.Resource))))
                    pooledEvents.Add((e.Resource, e.Utc, c.Events[i - 1].Utc, seq[i], role, c.Attributes));
            }
        }

        // Each approver's own availability (weekdays and hours seen in their completions) on top of the role's
        // calendar; a calendar given for the resource wins. Working times are measured on the approver's own hours.
        var resourceCalendars = new Dictionary<string, BusinessCalendar>(calendar.Resources, StringComparer.Ordinal);
        if (options.DiscoverAvailability)
            foreach (var byRole in pooledEvents.GroupBy(p => p.Role, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var times = byRole.GroupBy(p => p.Resource, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Utc).ToList(), StringComparer.Ordinal);
                foreach (var (resource, own) in ResourceAvailability.Discover(CalendarOf(calendar, byRole.Key), times))
                    resourceCalendars.TryAdd(resource, own);
            }
        var resourceClocks = resourceCalendars.ToDictionary(r => r.Key, r => BusinessClock.Build(r.Value, first.AddDays(-3), last.AddDays(3)), StringComparer.Ordinal);
        BusinessClock ClockOfResource(string resource, string role) => resourceClocks.TryGetValue(resource, out var own) ? own : ClockOf(role);

        // Approver pools within each pooled role (segments of cases, orders open at once), from named individuals' work.
        var discovered = new List<DiscoveredPool>();
        var multitasking = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in pools.Where(p => p.Pooled))
        {
            List<WorkItem> items = [.. pooledEvents.Where(p => p.Role == pool.Role)
                .Select(p => new WorkItem(p.Resource, names[p.Activity], p.Attributes, p.Enabled, p.Utc, Math.Max(0, ClockOfResource(p.Resource, p.Role).Between(p.Enabled, p.Utc))))];
            IReadOnlyList<DiscoveredPool> found = items.Count == 0 ? []
                : options.DiscoverPools && !pool.Configured ? PoolDiscovery.Discover(pool.Role, items)
                : [OnePool(pool, items)];
            if (found.Count == 0)
                found = [new DiscoveredPool(pool.Role, pool.Role, null, [], [], [], pool.Size, 1, "no named individual's completions: one order at a time assumed", 0)];
            if (!options.DiscoverPools)
                found = [.. found.Select(f => f with { Multitasking = 1 })];
            discovered.AddRange(found);
            foreach (var f in found.Where(f => f.Multitasking > 1))
            {
                // Several orders open at once: an order's working time is its time at the node when it found its
                // approver with a free slot (it started at once); the gap since the previous completion would be a
                // fraction of it.
                List<WorkItem> own = [.. items.Where(i => f.Members.Contains(i.Resource, StringComparer.Ordinal))];
                var (_, _, openAt) = PoolDiscovery.Multitasking(own);
                for (var i = 0; i < own.Count; i++)
                    if (openAt[i] < f.Multitasking)
                        work[index[own[i].Activity]].Add(own[i].Seconds);
                foreach (var m in f.Members)
                    multitasking.Add(m);
            }
        }

        // An approver's working time on an order, one at a time: from the later of the order's arrival and the
        // approver's previous completion, to the completion (in business time).
        foreach (var byResource in pooledEvents.Where(p => !multitasking.Contains(p.Resource)).GroupBy(p => p.Resource, StringComparer.Ordinal))
        {
            var previous = DateTime.MinValue;
            foreach (var p in byResource.OrderBy(p => p.Utc))
            {
                var began = p.Enabled > previous ? p.Enabled : previous;
                work[p.Activity].Add(Math.Max(0, ClockOfResource(p.Resource, p.Role).Between(began, p.Utc)));
                previous = p.Utc;
            }
        }

        // The time of year: response times of delay nodes by the month they begin in, relative to the node's own
        // mean; a month whose mean departs from 1 beyond the noise scales that month's delays, and the distributions
        // are kept free of it (each observation divided by its month's factor) so the training window's mix of months
        // does not carry over to another horizon.
        var from = options.FromUtc ?? cases.Min(c => c.Events[0].Utc);
        var to = options.ToUtc ?? cases.Max(c => c.Events[0].Utc).AddTicks(1);
        var delayNodes = Enumerable.Range(0, names.Length).Where(i => !pooled.Contains(roleOf[names[i]])).ToList();
        var season = options.DiscoverSeasonality
            ? Seasonality.Discover(delayNodes.Select(i => ((IReadOnlyList<double>)delays[i], (IReadOnlyList<int>)delayMonths[i])).ToList(), to - from)
            : Seasonality.None("not asked for");
        if (season.Applies)
        {
            for (var i = 0; i < names.Length; i++)
                Deseasonalise(delays[i], delayMonths[i], season);
            foreach (var (key, list) in edgeDelays)
                Deseasonalise(list, edgeMonths[key], season);
        }

        var activities = names.Select((n, i) =>
        {
            var role = roleOf[n];
            var isPooled = pooled.Contains(role) && work[i].Count > 0;
            return new ActivityModel(n, role, isPooled, DurationDistribution.FromObservations(isPooled ? work[i] : delays[i]), counts[i]);
        }).ToList();

        var arrivals = ArrivalModel.Fit([.. cases.Select(c => c.Events[0].Utc)], calendar, from, to);
        return new CalibratedProcess(calendar, activities, pools, arrivals)
        {
            TrainFromUtc = from,
            TrainToUtc = to,
            TrainingCases = cases.Count,
            ReworkShare = rework / (double)cases.Count,
            Endings = [.. endings.OrderByDescending(e => e.Value).Select(e => (names[e.Key], e.Value / (double)cases.Count))],
            Start = ToSuccessors(start.Select((w, i) => (i, (int)w)).Where(x => x.Item2 > 0).ToDictionary(x => x.i, x => x.Item2)),
            Pairs = pairs.Where(p => p.Value.Values.Sum() >= options.MinContextObservations).ToDictionary(p => p.Key, p => ToSuccessors(p.Value)),
            Singles = [.. singles.Select(ToSuccessors)],
            RouteBy = options.RouteBy,
            Priority = options.Priority,
            SegmentPairs = segmentPairs.Where(p => p.Value.Values.Sum() >= options.MinContextObservations).ToDictionary(p => p.Key, p => ToSuccessors(p.Value)),
            EdgeDelays = edgeDelays.Where(e => e.Value.Count >= options.MinContextObservations).ToDictionary(e => e.Key, e => DurationDistribution.FromObservations(e.Value)),
            AttributeTemplates = [.. cases.Select(c => c.Attributes)],
            ServerPools = discovered,
            Seasonality = season,
            ResourceCalendars = resourceCalendars,
            CaseActivities = caseActivities,
        };
    }

    private static void Deseasonalise(List<double> seconds, List<int> periods, Seasonality season)
    {
        for (var k = 0; k < seconds.Count; k++)
            seconds[k] /= season.Adjustment(periods[k]);
    }

    private static DiscoveredPool OnePool(RolePool pool, List<WorkItem> items)
    {
        var one = PoolDiscovery.Discover(pool.Role, items.Select(i => i with { Attributes = new Dictionary<string, string>() }).ToList())[0];
        return one with { Size = pool.Size, Evidence = (pool.Configured ? "size configured; " : "") + one.Evidence };
    }

    /// <summary>The calendar a role works: its own in <see cref="BusinessCalendar.Roles"/>, else the calendar itself.</summary>
    internal static BusinessCalendar CalendarOf(BusinessCalendar calendar, string role) =>
        calendar.Roles.TryGetValue(role, out var own) ? own : calendar;

    private static List<RolePool> Pools(List<CaseTrace> cases, Dictionary<string, string> roleOf, CalibrationOptions options, out HashSet<string> placeholders)
    {
        // A resource that acts in more than two roles (a shared account such as "STAFF MEMBER") or completes more
        // than a tenth of its events at the very instant of its previous one (a batch job) is not one person
        // working one order at a time.
        var byResource = cases.SelectMany(c => c.Events).Where(e => e.Resource is not null).GroupBy(e => e.Resource!, StringComparer.Ordinal);
        placeholders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in byResource)
        {
            var roles = r.Select(e => roleOf[e.Activity]).Distinct(StringComparer.Ordinal).Count();
            var times = r.Select(e => e.Utc).Order().ToArray();
            var simultaneous = times.Zip(times.Skip(1)).Count(p => p.First == p.Second);
            if (roles > 2 || simultaneous > 0.1 * times.Length)
                placeholders.Add(r.Key);
        }
        var stats = new Dictionary<string, (HashSet<string> Resources, int Events, int Individual, Dictionary<long, HashSet<string>> Weekly)>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            var initiator = c.Events[0].Resource;
            foreach (var e in c.Events.Skip(1))
            {
                var role = roleOf[e.Activity];
                if (!stats.TryGetValue(role, out var s))
                    stats[role] = s = (new HashSet<string>(StringComparer.Ordinal), 0, 0, []);
                var individual = e.Resource is not null && e.Resource != initiator && !placeholders.Contains(e.Resource);
                if (individual)
                {
                    s.Resources.Add(e.Resource!);
                    var week = e.Utc.Ticks / TimeSpan.TicksPerDay / 7;
                    if (!s.Weekly.TryGetValue(week, out var active))
                        s.Weekly[week] = active = new HashSet<string>(StringComparer.Ordinal);
                    active.Add(e.Resource!);
                }
                stats[role] = (s.Resources, s.Events + 1, s.Individual + (individual ? 1 : 0), s.Weekly);
            }
        }
        var pools = new List<RolePool>();
        foreach (var (role, s) in stats.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            // Named individuals who are not the case's own requester form a queue; a placeholder, a batch job or the
            // requester answering their own case is a delay.
            var pooled = options.PooledRoles.Contains(role) || (!options.DelayRoles.Contains(role) && s.Individual >= 0.5 * s.Events);
            var weekly = s.Weekly.Values.Select(w => w.Count).Order().ToArray();
            var estimated = weekly.Length == 0 ? 1 : Math.Max(1, weekly[weekly.Length / 2]);
            var configured = options.PoolSizes.TryGetValue(role, out var size);
            pools.Add(new RolePool(role, pooled || configured, configured ? size : estimated, s.Resources.Count, configured));
        }
        return pools;
    }

    private static void Increment<TKey>(Dictionary<TKey, Dictionary<int, int>> table, TKey key, int next)
        where TKey : notnull
    {
        if (!table.TryGetValue(key, out var row))
            table[key] = row = [];
        row[next] = row.GetValueOrDefault(next) + 1;
    }

    private static Successors ToSuccessors(Dictionary<int, int> row)
    {
        var ordered = row.OrderBy(r => r.Key).ToArray();
        var weights = ordered.Select(r => (double)r.Value).ToArray();
        return new Successors([.. ordered.Select(r => r.Key)], weights, weights.Sum(), (int)weights.Sum());
    }
}

/// <summary>How to calibrate.</summary>
public sealed record CalibrationOptions
{
    /// <summary>Business calendar of durations and of approvers (with per-role calendars if it has them).</summary>
    public required BusinessCalendar Calendar { get; init; }

    /// <summary>Start of the training window (UTC, inclusive) for arrival rates; the first case start by default.</summary>
    public DateTime? FromUtc { get; init; }

    /// <summary>End of the training window (UTC, exclusive); just after the last case start by default.</summary>
    public DateTime? ToUtc { get; init; }

    /// <summary>Pool sizes that override the estimate (also makes the role pooled).</summary>
    public IReadOnlyDictionary<string, int> PoolSizes { get; init; } = new Dictionary<string, int>();

    /// <summary>Roles to model as approver queues whatever the heuristic says.</summary>
    public IReadOnlySet<string> PooledRoles { get; init; } = new HashSet<string>();

    /// <summary>Roles to model as delays whatever the heuristic says.</summary>
    public IReadOnlySet<string> DelayRoles { get; init; } = new HashSet<string>();

    /// <summary>A case attribute to condition routing on (e.g. <c>controlled</c>): each value gets its own branching where seen often enough.</summary>
    public string? RouteBy { get; init; }

    /// <summary>Orders whose attributes meet all these conditions go ahead of the others waiting for approvers (e.g. <c>order_amount&gt;1000000</c>).</summary>
    public IReadOnlyList<Mining.AttributeCondition> Priority { get; init; } = [];

    /// <summary>Whether to discover each approver's own weekdays and hours from their completions (<see cref="ResourceAvailability"/>).</summary>
    public bool DiscoverAvailability { get; init; } = true;

    /// <summary>Whether to discover pools within a role (segments of cases, orders open at once); otherwise one pool per role, one order at a time.</summary>
    public bool DiscoverPools { get; init; } = true;

    /// <summary>Whether delay nodes' response times are scaled by the month of the year when the training window shows it.</summary>
    public bool DiscoverSeasonality { get; init; } = true;

    /// <summary>A routing context or an edge's response time is used alone from this many observations (20).</summary>
    public int MinContextObservations { get; init; } = 20;
}
