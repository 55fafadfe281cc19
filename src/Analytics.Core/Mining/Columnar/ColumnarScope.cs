namespace Analytics.Core.Mining.Columnar;

/// <summary>
/// The part of <see cref="EventColumns"/> a computation looks at, in the terms of <see cref="MiningFilter"/> that
/// columns answer without the store: activities kept or left out (removed before pairing), and windows on a case's
/// first and last event (over all its events, as the store's filter reads them). Case attributes and samples are
/// not among them: those filters go to the store.
/// </summary>
public sealed class ColumnarScope
{
    private ColumnarScope(bool[]? keep, long? firstFrom, long? firstTo, long? lastFrom, long? lastTo)
    {
        Keep = keep;
        FirstFrom = firstFrom;
        FirstTo = firstTo;
        LastFrom = lastFrom;
        LastTo = lastTo;
    }

    /// <summary>Per activity index, whether its events are kept; <c>null</c> keeps all.</summary>
    public bool[]? Keep { get; }

    /// <summary>Inclusive start of the window on the first event, µs.</summary>
    public long? FirstFrom { get; }

    /// <summary>Exclusive end of the window on the first event, µs.</summary>
    public long? FirstTo { get; }

    /// <summary>Inclusive start of the window on the last event, µs.</summary>
    public long? LastFrom { get; }

    /// <summary>Exclusive end of the window on the last event, µs.</summary>
    public long? LastTo { get; }

    /// <summary>Whether columns can answer <paramref name="filter"/> (no case-attribute conditions, no sample).</summary>
    public static bool Answers(MiningFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.CaseAttributes.Count == 0 && filter.SampleCases is null;
    }

    /// <summary>The scope of <paramref name="filter"/> over <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">The filter has conditions columns cannot answer (see <see cref="Answers"/>).</exception>
    public static ColumnarScope Of(MiningFilter filter, EventColumns columns)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(columns);
        if (!Answers(filter))
            throw new ArgumentException("case-attribute conditions and samples are answered by the store, not by columns", nameof(filter));
        bool[]? keep = null;
        if (filter.Activities is not null || filter.ExcludeActivities.Count > 0)
        {
            var include = filter.Activities is null ? null : new HashSet<string>(filter.Activities, StringComparer.Ordinal);
            var exclude = new HashSet<string>(filter.ExcludeActivities, StringComparer.Ordinal);
            keep = [.. columns.ActivityNames.Select(a => (include is null || include.Contains(a)) && !exclude.Contains(a))];
        }
        return new ColumnarScope(keep, Micros(filter.FromUtc), Micros(filter.ToUtc), Micros(filter.EndedFromUtc), Micros(filter.EndedToUtc));
    }

    /// <summary>Whether case <paramref name="c"/> is in scope (its first and last event in the windows).</summary>
    public bool Includes(EventColumns columns, int c)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (FirstFrom is null && FirstTo is null && LastFrom is null && LastTo is null)
            return true;
        var start = columns.CaseStarts[c];
        var end = columns.CaseStarts[c + 1];
        if (end == start)
            return false;
        var first = long.MaxValue;
        var last = long.MinValue;
        for (var i = start; i < end; i++)
        {
            var t = columns.Micros[i];
            first = Math.Min(first, t);
            last = Math.Max(last, t);
        }
        return (FirstFrom is not { } ff || first >= ff) && (FirstTo is not { } ft || first < ft)
            && (LastFrom is not { } lf || last >= lf) && (LastTo is not { } lt || last < lt);
    }

    // As the store reads a filter instant: its clock reading taken as UTC, whatever its kind.
    private static long? Micros(DateTime? utc) => utc is { } t ? (t.Ticks - DateTime.UnixEpoch.Ticks) / 10 : null;
}
