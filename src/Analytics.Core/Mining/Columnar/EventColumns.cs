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
