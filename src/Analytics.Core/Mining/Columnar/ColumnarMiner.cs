using Analytics.Core.Calendars;

namespace Analytics.Core.Mining.Columnar;

/// <summary>
/// Mining over <see cref="EventColumns"/>, in parallel over ranges of cases on every core: the directly-follows
/// graph with wall-clock and business-time performance, and the variants. The same answers as the store's SQL path
/// (exact R type 7 percentiles, sample standard deviation, the same orders of edges and variants).
/// </summary>
/// <remarks>
/// The graph takes three passes: each range counts its pairs per edge; the pairs' durations are then written into
/// one array laid out edge by edge (a counting sort, so nothing grows while it is filled); each edge's summary is
/// then selected in place. Business seconds read the clock of the later event's resource or role (else the
/// calendar's own), both instants on that clock, as the SQL path does.
/// </remarks>
public static class ColumnarMiner
{
    /// <summary>Above this many activities, edges are looked up in a dictionary rather than an activity × activity table.</summary>
    private const int DenseActivities = 256;

    /// <summary>The directly-follows graph with performance, most frequent edge first (ties by activity names in byte order).</summary>
    /// <param name="log">The events.</param>
    /// <param name="scope">Which events and cases.</param>
    /// <param name="calendar">For business seconds; <c>null</c> for wall clock only.</param>
    /// <param name="cancellationToken">Stops between ranges of cases.</param>
    public static IReadOnlyList<DfgEdge> DirectlyFollows(EventColumns log, ColumnarScope scope, BusinessCalendar? calendar, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(scope);
        var a = log.ActivityNames.Length;
        var ranges = Ranges(log);
        var clocks = calendar is null ? null : Clocks.Of(log, calendar);
        var tables = new EdgeTable[ranges.Length];
        Parallel.For(0, ranges.Length, Options(cancellationToken), p =>
        {
            var table = new EdgeTable(a);
            ForEachPair(log, scope, ranges[p], (c, prev, i) => table.Count(log.Activity[prev], log.Activity[i], c));
            tables[p] = table;
        });

        // Edges in one numbering, and where each range writes each edge's durations.
        var edges = new Dictionary<long, int>();
        var keys = new List<long>();
        foreach (var t in tables)
            foreach (var key in t.Keys())
                if (!edges.ContainsKey(key))
                {
                    edges[key] = keys.Count;
                    keys.Add(key);
                }
        var counts = new long[keys.Count];
        var cases = new long[keys.Count];
        foreach (var t in tables)
            for (var e = 0; e < keys.Count; e++)
            {
                counts[e] += t.CountOf(keys[e]);
                cases[e] += t.CasesOf(keys[e]);
            }
        var starts = new long[keys.Count + 1];
        for (var e = 0; e < keys.Count; e++)
            starts[e + 1] = starts[e] + counts[e];
        var cursors = new long[ranges.Length][];
        var running = (long[])starts.Clone();
        for (var p = 0; p < ranges.Length; p++)
        {
            cursors[p] = new long[keys.Count];
            for (var e = 0; e < keys.Count; e++)
            {
                cursors[p][e] = running[e];
                running[e] += tables[p].CountOf(keys[e]);
            }
        }
        // Each pair's edge found again in pass two: a table for few activities, else the dictionary.
        var dense = a <= DenseActivities ? new int[Math.Max(1, a * a)] : null;
        if (dense is not null)
            foreach (var (key, e) in edges)
                dense[key] = e;
        var total = starts[^1];
        var wall = new long[total];
        var business = clocks is null ? null : new double[total];
        Parallel.For(0, ranges.Length, Options(cancellationToken), p =>
        {
            var cursor = cursors[p];
            var table = tables[p];
            var hints = clocks?.Hints();
            ForEachPair(log, scope, ranges[p], (_, prev, i) =>
            {
                var key = table.KeyOf(log.Activity[prev], log.Activity[i]);
                var e = dense is not null ? dense[key] : edges[key];
                var at = cursor[e]++;
                wall[at] = log.Micros[i] - log.Micros[prev];
                if (business is not null)
                    business[at] = clocks!.Between(log, prev, i, hints!);
            });
        });

        var result = new DfgEdge[keys.Count];
        Parallel.For(0, keys.Count, Options(cancellationToken), e =>
        {
            var from = (int)(keys[e] / Math.Max(1, a));
            var to = (int)(keys[e] % Math.Max(1, a));
            var length = (int)counts[e];
            var w = OrderStatistics.OfMicros(wall.AsSpan((int)starts[e], length));
            var b = business is null ? null : OrderStatistics.OfSeconds(business.AsSpan((int)starts[e], length));
            result[e] = new DfgEdge(log.ActivityNames[from], log.ActivityNames[to], counts[e], cases[e], w, b);
        });
        return [.. result.OrderByDescending(e => e.Count).ThenBy(e => e.From, Utf8Order.Instance).ThenBy(e => e.To, Utf8Order.Instance)];
    }

    /// <summary>The variants, most frequent first (ties by activity sequence in byte order); coverage as a share of the cases with an event in scope.</summary>
    /// <param name="log">The events.</param>
    /// <param name="scope">Which events and cases.</param>
    /// <param name="cancellationToken">Stops between ranges of cases.</param>
    public static IReadOnlyList<Variant> Variants(EventColumns log, ColumnarScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Keep is null && scope.FirstFrom is null && scope.FirstTo is null && scope.LastFrom is null && scope.LastTo is null)
            return VariantIndex.Of(log, cancellationToken).Variants;
        return CountVariants(log, scope, cancellationToken);
    }

    private static List<Variant> CountVariants(EventColumns log, ColumnarScope scope, CancellationToken cancellationToken)
    {
        var ranges = Ranges(log);
        var found = new List<(int[] Trace, long Count)>[ranges.Length];
        Parallel.For(0, ranges.Length, Options(cancellationToken), p =>
        {
            var byTrace = new Dictionary<int[], long>(TraceComparer.Instance);
            var trace = new List<int>();
            var (first, end) = ranges[p];
            for (var c = first; c < end; c++)
            {
                if (!scope.Includes(log, c))
                    continue;
                trace.Clear();
                for (var i = log.CaseStarts[c]; i < log.CaseStarts[c + 1]; i++)
                    if (scope.Keep is null || scope.Keep[log.Activity[i]])
                        trace.Add(log.Activity[i]);
                if (trace.Count == 0)
                    continue;
                var key = trace.ToArray();
                byTrace[key] = byTrace.GetValueOrDefault(key) + 1;
            }
            found[p] = [.. byTrace.Select(kv => (kv.Key, kv.Value))];
        });
        var all = new Dictionary<int[], long>(TraceComparer.Instance);
        foreach (var part in found)
            foreach (var (trace, count) in part)
                all[trace] = all.GetValueOrDefault(trace) + count;
        var cases = (double)all.Values.Sum();
        var names = log.ActivityNames;
        return [.. all
            .Select(kv => (Names: (IReadOnlyList<string>)[.. kv.Key.Select(i => names[i])], kv.Value))
            .OrderByDescending(v => v.Value).ThenBy(v => v.Names, SequenceOrder.Instance)
            .Select(v => new Variant(v.Names, v.Value, v.Value / cases))];
    }

    /// <summary>
    /// The variants of the whole log, counted once per set of columns and kept with them (columns never change: a
    /// load makes new ones), so a repeated call on an unchanged store answers from them.
    /// </summary>
    private sealed class VariantIndex
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EventColumns, VariantIndex> Kept = [];

        private VariantIndex(IReadOnlyList<Variant> variants) => Variants = variants;

        public IReadOnlyList<Variant> Variants { get; }

        public static VariantIndex Of(EventColumns log, CancellationToken cancellationToken)
        {
            if (Kept.TryGetValue(log, out var index))
                return index;
            index = new VariantIndex(CountVariants(log, ColumnarScope.Of(MiningFilter.All, log), cancellationToken));
            Kept.AddOrUpdate(log, index);
            return index;
        }
    }

    /// <summary>Calls <paramref name="pair"/> with (case, earlier event, later event) for each pair of consecutive kept events of the cases in scope.</summary>
    private static void ForEachPair(EventColumns log, ColumnarScope scope, (int First, int End) range, Action<int, int, int> pair)
    {
        var keep = scope.Keep;
        for (var c = range.First; c < range.End; c++)
        {
            if (!scope.Includes(log, c))
                continue;
            var prev = -1;
            for (var i = log.CaseStarts[c]; i < log.CaseStarts[c + 1]; i++)
            {
                if (keep is not null && !keep[log.Activity[i]])
                    continue;
                if (prev >= 0)
                    pair(c, prev, i);
                prev = i;
            }
        }
    }

    /// <summary>Ranges of cases with about equal numbers of events, a few per core.</summary>
    private static (int First, int End)[] Ranges(EventColumns log)
    {
        var parts = log.Events < 100_000 ? 1 : Environment.ProcessorCount * 4;
        var ranges = new List<(int, int)>();
        var first = 0;
        for (var p = 1; p <= parts && first < log.Cases; p++)
        {
            var target = (long)log.Events * p / parts;
            var end = p == parts ? log.Cases : Array.BinarySearch(log.CaseStarts, (int)target);
            if (end < 0)
                end = ~end;
            end = Math.Clamp(end, first + 1, log.Cases);
            ranges.Add((first, end));
            first = end;
        }
        return [.. ranges];
    }

    private static ParallelOptions Options(CancellationToken cancellationToken) => new() { CancellationToken = cancellationToken };

    /// <summary>Counts of pairs and cases per edge of one range of cases.</summary>
    private sealed class EdgeTable(int activities)
    {
        private readonly long[]? _dense = activities <= DenseActivities ? new long[activities * activities] : null;
        private readonly long[]? _denseCases = activities <= DenseActivities ? new long[activities * activities] : null;
        private readonly int[]? _lastCase = activities <= DenseActivities ? new int[activities * activities] : null;
        private readonly Dictionary<long, (long Count, long Cases, int Last)> _sparse = [];
        private readonly int _n = Math.Max(1, activities);

        public long KeyOf(int from, int to) => (long)from * _n + to;

        public void Count(int from, int to, int c)
        {
            var key = KeyOf(from, to);
            if (_dense is not null)
            {
                if (_dense[key]++ == 0 || _lastCase![key] != c)
                {
                    _denseCases![key]++;
                    _lastCase![key] = c;
                }
                return;
            }
            var (count, cases, last) = _sparse.GetValueOrDefault(key, (0, 0, -1));
            _sparse[key] = (count + 1, last == c ? cases : cases + 1, c);
        }

        public IEnumerable<long> Keys()
        {
            if (_dense is null)
                return _sparse.Keys;
            return Enumerable.Range(0, _dense.Length).Where(k => _dense[k] > 0).Select(k => (long)k);
        }

        public long CountOf(long key) => _dense is not null ? _dense[key] : _sparse.TryGetValue(key, out var v) ? v.Count : 0;

        public long CasesOf(long key) => _denseCases is not null ? _denseCases[key] : _sparse.TryGetValue(key, out var v) ? v.Cases : 0;
    }

    /// <summary>One business clock per calendar an event can fall under, and each event's.</summary>
    private sealed class Clocks
    {
        private readonly BusinessClock[] _clocks;
        private readonly int[] _byResource;
        private readonly int[] _byRole;

        private Clocks(BusinessClock[] clocks, int[] byResource, int[] byRole)
        {
            _clocks = clocks;
            _byResource = byResource;
            _byRole = byRole;
        }

        public static Clocks Of(EventColumns log, BusinessCalendar calendar)
        {
            var calendars = new List<BusinessCalendar> { calendar };
            int Index(BusinessCalendar c)
            {
                var i = calendars.FindIndex(x => ReferenceEquals(x, c));
                if (i >= 0)
                    return i;
                calendars.Add(c);
                return calendars.Count - 1;
            }
            var byResource = log.ResourceNames.Select(r => calendar.Resources.TryGetValue(r, out var c) ? Index(c) : -1).ToArray();
            var byRole = log.RoleNames.Select(r => calendar.Roles.TryGetValue(r, out var c) ? Index(c) : -1).ToArray();
            long min = long.MaxValue, max = long.MinValue;
            foreach (var t in log.Micros)
            {
                min = Math.Min(min, t);
                max = Math.Max(max, t);
            }
            if (log.Events == 0)
                min = max = 0;
            var from = DateTime.UnixEpoch.AddTicks(min * 10);
            var to = DateTime.UnixEpoch.AddTicks(max * 10);
            return new Clocks([.. calendars.Select(c => BusinessClock.Build(c, from, to))], byResource, byRole);
        }

        public int[] Hints() => new int[_clocks.Length * 2];

        public double Between(EventColumns log, int prev, int i, int[] hints)
        {
            var res = log.Resource[i];
            var role = log.Role[i];
            var own = res >= 0 && _byResource[res] >= 0 ? _byResource[res] : role >= 0 && _byRole[role] >= 0 ? _byRole[role] : 0;
            var clock = _clocks[own];
            var epoch = DateTime.UnixEpoch.Ticks;
            return clock.SecondsAtTicks(epoch + log.Micros[i] * 10, ref hints[own * 2]) - clock.SecondsAtTicks(epoch + log.Micros[prev] * 10, ref hints[own * 2 + 1]);
        }
    }

    private sealed class TraceComparer : IEqualityComparer<int[]>
    {
        public static readonly TraceComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var h = new HashCode();
            h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
            return h.ToHashCode();
        }
    }

    private sealed class SequenceOrder : IComparer<IReadOnlyList<string>>
    {
        public static readonly SequenceOrder Instance = new();

        public int Compare(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var c = Utf8Order.Instance.Compare(x[i], y[i]);
                if (c != 0)
                    return c;
            }
            return x.Count.CompareTo(y.Count);
        }
    }
}

/// <summary>Strings in the order of their UTF-8 bytes (the store's order), which differs from UTF-16 ordinal order only above U+D7FF.</summary>
public sealed class Utf8Order : IComparer<string>
{
    /// <summary>The comparer.</summary>
    public static readonly Utf8Order Instance = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            if (x[i] == y[i])
                continue;
            return Fix(x[i]).CompareTo(Fix(y[i]));
        }
        return x.Length.CompareTo(y.Length);
    }

    // Surrogates (code points above U+FFFF) come after U+E000–U+FFFF in UTF-8.
    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
