namespace Analytics.Core.Mining.Columnar;

/// <summary>
/// A log held in memory as columns: events sorted by case and, within a case, by the store's stable time order
/// (timestamp, then file and row); strings dictionary-encoded as small integers. Case <c>c</c> owns the events
/// <c>[CaseStarts[c], CaseStarts[c + 1])</c>. About 20 bytes an event.
/// </summary>
/// <param name="CaseStarts">Offsets of each case's first event, with the event count appended (length cases + 1).</param>
/// <param name="CaseNumbers">The store's number of each case.</param>
/// <param name="Activity">Each event's activity, an index into <paramref name="ActivityNames"/>.</param>
/// <param name="Micros">Each event's instant, microseconds since the Unix epoch (UTC).</param>
/// <param name="Resource">Each event's resource, an index into <paramref name="ResourceNames"/>; −1 for none.</param>
/// <param name="Role">Each event's role, an index into <paramref name="RoleNames"/>; −1 for none.</param>
/// <param name="ActivityNames">The activities.</param>
/// <param name="ResourceNames">The resources.</param>
/// <param name="RoleNames">The roles.</param>
public sealed record EventColumns(int[] CaseStarts, long[] CaseNumbers, int[] Activity, long[] Micros, int[] Resource, int[] Role,
    string[] ActivityNames, string[] ResourceNames, string[] RoleNames)
{
    /// <summary>Bytes an event takes in memory (activity, instant, resource, role).</summary>
    public const int BytesPerEvent = sizeof(int) + sizeof(long) + sizeof(int) + sizeof(int);

    /// <summary>The number of cases.</summary>
    public int Cases => CaseNumbers.Length;

    /// <summary>The number of events.</summary>
    public int Events => Activity.Length;

    /// <summary>An empty log.</summary>
    public static EventColumns Empty { get; } = new([0], [], [], [], [], [], [], [], []);

    /// <summary>Checks that the columns fit together; throws when they do not.</summary>
    /// <exception cref="ArgumentException">Columns of different lengths, or case offsets that do not cover the events in order.</exception>
    public void Validate()
    {
        var n = Activity.Length;
        if (Micros.Length != n || Resource.Length != n || Role.Length != n)
            throw new ArgumentException("event columns of different lengths");
        if (CaseStarts.Length != CaseNumbers.Length + 1 || CaseStarts[0] != 0 || CaseStarts[^1] != n)
            throw new ArgumentException("case offsets do not cover the events");
        for (var c = 0; c < CaseNumbers.Length; c++)
            if (CaseStarts[c + 1] < CaseStarts[c])
                throw new ArgumentException("case offsets out of order");
    }
}

/// <summary>Renewing columns with the events of files loaded since they were made.</summary>
public static class EventColumnsMerge
{
    /// <summary>
    /// The columns of <paramref name="earlier"/> with <paramref name="added"/> merged in: cases in case-number order,
    /// and within a case the events of both by instant, an earlier one first on a tie (its file was loaded first, so it
    /// comes first in the store's order too). <paramref name="added"/> must carry the dictionaries of the whole store
    /// now (a superset of the earlier ones); the earlier codes are renumbered to them.
    /// </summary>
    /// <exception cref="ArgumentException">A name of the earlier columns is missing from the added ones' dictionaries.</exception>
    public static EventColumns Merge(EventColumns earlier, EventColumns added)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(added);
        var activity = Renumber(earlier.ActivityNames, added.ActivityNames);
        var resource = Renumber(earlier.ResourceNames, added.ResourceNames);
        var role = Renumber(earlier.RoleNames, added.RoleNames);
        var n = earlier.Events + added.Events;
        var outActivity = new int[n];
        var outMicros = new long[n];
        var outResource = new int[n];
        var outRole = new int[n];
        var caseNumbers = new List<long>(earlier.Cases + added.Cases);
        var caseStarts = new List<int>(earlier.Cases + added.Cases + 1);
        var at = 0;
        void CopyOld(int i)
        {
            outActivity[at] = activity[earlier.Activity[i]];
            outMicros[at] = earlier.Micros[i];
            outResource[at] = earlier.Resource[i] < 0 ? -1 : resource[earlier.Resource[i]];
            outRole[at] = earlier.Role[i] < 0 ? -1 : role[earlier.Role[i]];
            at++;
        }
        void CopyNew(int i)
        {
            outActivity[at] = added.Activity[i];
            outMicros[at] = added.Micros[i];
            outResource[at] = added.Resource[i];
            outRole[at] = added.Role[i];
            at++;
        }
        int a = 0, b = 0;
        while (a < earlier.Cases || b < added.Cases)
        {
            var takeOld = b >= added.Cases || (a < earlier.Cases && earlier.CaseNumbers[a] <= added.CaseNumbers[b]);
            var takeNew = a >= earlier.Cases || (b < added.Cases && added.CaseNumbers[b] <= earlier.CaseNumbers[a]);
            caseNumbers.Add(takeOld ? earlier.CaseNumbers[a] : added.CaseNumbers[b]);
            caseStarts.Add(at);
            int i = takeOld ? earlier.CaseStarts[a] : 0, iEnd = takeOld ? earlier.CaseStarts[a + 1] : 0;
            int j = takeNew ? added.CaseStarts[b] : 0, jEnd = takeNew ? added.CaseStarts[b + 1] : 0;
            while (i < iEnd || j < jEnd)
            {
                if (j >= jEnd || (i < iEnd && earlier.Micros[i] <= added.Micros[j]))
                    CopyOld(i++);
                else
                    CopyNew(j++);
            }
            if (takeOld)
                a++;
            if (takeNew)
                b++;
        }
        caseStarts.Add(at);
        var merged = new EventColumns([.. caseStarts], [.. caseNumbers], outActivity, outMicros, outResource, outRole,
            added.ActivityNames, added.ResourceNames, added.RoleNames);
        merged.Validate();
        return merged;
    }

    private static int[] Renumber(string[] from, string[] to)
    {
        var index = new Dictionary<string, int>(to.Length, StringComparer.Ordinal);
        for (var i = 0; i < to.Length; i++)
            index[to[i]] = i;
        var map = new int[from.Length];
        for (var i = 0; i < from.Length; i++)
            map[i] = index.TryGetValue(from[i], out var j) ? j : throw new ArgumentException($"'{from[i]}' is missing from the renewed dictionary");
        return map;
    }
}
