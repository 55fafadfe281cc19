using System.Globalization;

namespace Analytics.Core.WhatIf;

/// <summary>
/// Discovers approver pools within a role from what its resources do and for which cases, and how many orders each
/// pool's approvers keep open at once.
/// </summary>
/// <remarks>
/// <para><b>Segments.</b> Resource-profile discovery in the manner of Simod and Prosimos groups resources by the work
/// they share; here the role (from the log or the profile) gives the work, and the cases a resource serves split it
/// further. For every case attribute with 2–<see cref="MaxSegmentValues"/> values, each resource's events are counted
/// by value; the attribute splits the role when its resources are <em>pure</em> — at least
/// <see cref="MinPurity"/> of a typical member's events on cases of one value — well above what they would be if
/// they took cases regardless of the attribute (the largest value's share), and at least two values have resources of
/// their own. Each value's cases then go to the pool of the resources who serve it; a value without resources of
/// its own goes to the pool that served most of its cases.</para>
/// <para><b>Multitasking.</b> For each of a pool's completions, the orders its resource already had open when the order
/// reached the node are counted (orders enabled earlier and completed later by the same resource). An order that
/// finds its approver with fewer open than they can hold is started at once, so its time at the node is the
/// working time alone; an order that finds all their slots taken waits as well. The estimate is the smallest number
/// of orders already open at which the time at the node rises clearly (by a fifth and by 2.5 standard errors) above
/// that of orders finding the approver free.</para>
/// </remarks>
public static class PoolDiscovery
{
    /// <summary>Largest number of values a segmenting attribute may have.</summary>
    public const int MaxSegmentValues = 12;

    /// <summary>Share of a member's events on one value's cases for a split (0.85, event-weighted over members).</summary>
    public const double MinPurity = 0.85;

    /// <summary>Orders needed at a count of open orders to judge it (100).</summary>
    public const int MinBucket = 100;

    /// <summary>Largest multitasking estimated.</summary>
    public const int MaxMultitasking = 8;

    /// <summary>Discovers the pools of one role.</summary>
    /// <param name="role">The role.</param>
    /// <param name="items">The role's work items by named individuals: resource, the case's attributes, when the order reached the node and when it was completed, and the time between in the role's business seconds.</param>
    public static IReadOnlyList<DiscoveredPool> Discover(string role, IReadOnlyList<WorkItem> items)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
            return [];
        var split = Segmentation(items);
        var pools = new List<DiscoveredPool>();
        if (split is null)
        {
            pools.Add(Pool(role, role, null, null, items, [], "one pool: no case attribute separates its resources"));
            return pools;
        }
        var (attribute, purity, baseline, dominant) = split.Value;
        var byValue = dominant.GroupBy(d => d.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Key).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        // Values no resource serves mainly: their cases go to the pool that did most of them.
        var orphans = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in items.GroupBy(i => i.Attributes.GetValueOrDefault(attribute) ?? "", StringComparer.Ordinal))
        {
            if (byValue.ContainsKey(g.Key))
                continue;
            var owner = g.GroupBy(i => dominant[i.Resource], StringComparer.Ordinal).OrderByDescending(x => x.Count()).ThenBy(x => x.Key, StringComparer.Ordinal).First().Key;
            orphans[g.Key] = owner;
        }
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"split by {attribute}: {purity:P1} of a member's events are on cases of their own {attribute} ({baseline:P1} if they took cases regardless of it)");
        foreach (var (value, members) in byValue.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var own = items.Where(i => members.Contains(i.Resource)).ToList();
            string[] also = [.. orphans.Where(o => o.Value == value).Select(o => o.Key).Order(StringComparer.Ordinal)];
            pools.Add(Pool(role, role + "/" + value, attribute, value, own, also, evidence));
        }
        return pools;
    }

    private static DiscoveredPool Pool(string role, string name, string? attribute, string? value, IReadOnlyList<WorkItem> items, string[] alsoServes, string evidence)
    {
        var members = items.GroupBy(i => i.Resource, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToArray();
        var activities = items.GroupBy(i => i.Activity, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => (g.Key, g.Count())).ToArray();
        var (k, multitaskEvidence, _) = Multitasking(items);
        var weekly = items.GroupBy(i => i.CompletedUtc.Ticks / TimeSpan.TicksPerDay / 7).Select(g => g.Select(i => i.Resource).Distinct(StringComparer.Ordinal).Count()).Order().ToArray();
        var size = weekly.Length == 0 ? 1 : Math.Max(1, weekly[weekly.Length / 2]);
        string[] segments = value is null ? [] : [value, .. alsoServes];
        return new DiscoveredPool(name, role, attribute, segments, members, activities, size, k, evidence + "; " + multitaskEvidence, items.Count);
    }

    /// <summary>The best segmenting attribute, if any: (attribute, purity, baseline purity, resource → dominant value).</summary>
    private static (string Attribute, double Purity, double Baseline, Dictionary<string, string> Dominant)? Segmentation(IReadOnlyList<WorkItem> items)
    {
        var resources = items.Select(i => i.Resource).Distinct(StringComparer.Ordinal).Count();
        if (resources < 2)
            return null;
        var attributes = items.SelectMany(i => i.Attributes.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        (string, double, double, Dictionary<string, string>)? best = null;
        var byResource = items.GroupBy(i => i.Resource, StringComparer.Ordinal).ToList();
        foreach (var a in attributes)
        {
            // Counted with an early stop: an attribute with many values (an amount, a customer) is no segment.
            var values = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var i in items)
            {
                var v = i.Attributes.GetValueOrDefault(a) ?? "";
                values[v] = values.GetValueOrDefault(v) + 1;
                if (values.Count > MaxSegmentValues)
                    break;
            }
            if (values.Count < 2 || values.Count > MaxSegmentValues)
                continue;
            var baseline = values.Values.Max() / (double)items.Count;
            var dominant = new Dictionary<string, string>(StringComparer.Ordinal);
            var pure = 0;
            foreach (var r in byResource)
            {
                var top = r.GroupBy(i => i.Attributes.GetValueOrDefault(a) ?? "", StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();
                dominant[r.Key] = top.Key;
                pure += top.Count();
            }
            var purity = pure / (double)items.Count;
            var served = dominant.Values.Distinct(StringComparer.Ordinal).Count();
            if (purity < MinPurity || purity - baseline < 0.2 || served < 2)
                continue;
            if (best is null || purity > best.Value.Item2 + 1e-9 || (Math.Abs(purity - best.Value.Item2) <= 1e-9 && served < best.Value.Item4.Values.Distinct(StringComparer.Ordinal).Count()))
                best = (a, purity, baseline, dominant);
        }
        return best;
    }

    /// <summary>
    /// Orders a pool's approvers keep open at once, with the evidence in words, and for every item the number of
    /// orders its resource already had open when it reached the node.
    /// </summary>
    public static (int K, string Evidence, int[] OpenAtArrival) Multitasking(IReadOnlyList<WorkItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var openAt = new int[items.Count];
        var buckets = new List<double>[MaxMultitasking + 2];
        for (var i = 0; i < buckets.Length; i++)
            buckets[i] = [];
        foreach (var r in Enumerable.Range(0, items.Count).GroupBy(i => items[i].Resource, StringComparer.Ordinal))
        {
            var open = new PriorityQueue<DateTime, DateTime>();
            foreach (var i in r.OrderBy(i => items[i].EnabledUtc).ThenBy(i => items[i].CompletedUtc))
            {
                var item = items[i];
                while (open.TryPeek(out var done, out _) && done <= item.EnabledUtc)
                    open.Dequeue();
                openAt[i] = open.Count;
                buckets[Math.Min(open.Count, buckets.Length - 1)].Add(item.Seconds);
                open.Enqueue(item.CompletedUtc, item.CompletedUtc);
            }
        }
        var free = buckets[0];
        if (free.Count < MinBucket)
            return (1, string.Create(CultureInfo.InvariantCulture, $"one order at a time assumed: only {free.Count} orders found their approver with nothing open"), openAt);
        var (m0, se0) = MeanAndError(free);
        var k = 1;
        for (var m = 1; m <= MaxMultitasking; m++)
        {
            var b = buckets[m];
            if (b.Count < MinBucket)
                return (k, k == 1
                    ? string.Create(CultureInfo.InvariantCulture, $"one order at a time assumed: only {b.Count} orders found their approver with one open, too few to tell")
                    : string.Create(CultureInfo.InvariantCulture, $"{k} at once: orders finding up to {k - 1} open took as long at the node as those finding their approver free ({m0 / 3600:F2} h); only {b.Count} found {k} open"), openAt);
            var (mm, se) = MeanAndError(b);
            // In a shared queue an order that finds its approver's slots taken waits only until the first slot of the
            // whole pool frees, so the rise can be small: it is judged by its significance.
            if (mm > 1.05 * m0 && mm - m0 > 3 * Math.Sqrt(se0 * se0 + se * se))
                return (m, string.Create(CultureInfo.InvariantCulture,
                    $"{m} at once: orders finding {m} already open took {mm / 3600:F2} h at the node against {m0 / 3600:F2} h for those finding their approver free ({b.Count:N0} and {free.Count:N0} orders)"), openAt);
            k = m + 1;
        }
        return (MaxMultitasking, string.Create(CultureInfo.InvariantCulture, $"at least {MaxMultitasking} at once: no rise in time at the node up to {MaxMultitasking} orders open"), openAt);
    }

    private static (double Mean, double Error) MeanAndError(List<double> values)
    {
        var mean = values.Average();
        var sd = values.Count > 1 ? Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Count - 1)) : 0;
        return (mean, sd / Math.Sqrt(values.Count));
    }
}

/// <summary>One completion of a pooled role's activity by a named individual, as pool discovery reads it.</summary>
/// <param name="Resource">Who completed it.</param>
/// <param name="Activity">The activity.</param>
/// <param name="Attributes">The case's attributes.</param>
/// <param name="EnabledUtc">When the order reached the node (the case's previous event).</param>
/// <param name="CompletedUtc">When it was completed.</param>
/// <param name="Seconds">Business seconds between, on the role's calendar.</param>
public sealed record WorkItem(string Resource, string Activity, IReadOnlyDictionary<string, string> Attributes, DateTime EnabledUtc, DateTime CompletedUtc, double Seconds);

/// <summary>An approver pool found in the log.</summary>
/// <param name="Name">The role, or <c>ROLE/value</c> for a segment's pool.</param>
/// <param name="Role">The role.</param>
/// <param name="SplitBy">The case attribute that separates the role's pools, or null.</param>
/// <param name="Segments">The attribute values whose cases this pool serves (empty: all cases of the role).</param>
/// <param name="Members">Its resources, most active first.</param>
/// <param name="Activities">Activities done, with counts.</param>
/// <param name="Size">Approvers: the median number of members active per week.</param>
/// <param name="Multitasking">Orders a member keeps open at once.</param>
/// <param name="Evidence">Why, in words: the split and the multitasking estimate.</param>
/// <param name="Items">Completions it is estimated from.</param>
public sealed record DiscoveredPool(string Name, string Role, string? SplitBy, IReadOnlyList<string> Segments, IReadOnlyList<string> Members,
    IReadOnlyList<(string Activity, int Count)> Activities, int Size, int Multitasking, string Evidence, int Items);
