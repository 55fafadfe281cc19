namespace Analytics.Core.Mining;

/// <summary>Which part of the log an analysis looks at.</summary>
/// <remarks>
/// <see cref="FromUtc"/>/<see cref="ToUtc"/> keep the cases whose first event lies in <c>[FromUtc, ToUtc)</c>.
/// <see cref="Activities"/> keeps only events of those activities (the rest are removed before ordering, as in
/// pm4py's activity filter). <see cref="CaseAttributes"/> keeps cases whose attributes satisfy every condition.
/// </remarks>
public sealed record MiningFilter
{
    /// <summary>Everything.</summary>
    public static MiningFilter All { get; } = new();

    /// <summary>Inclusive start of the window for a case's first event.</summary>
    public DateTime? FromUtc { get; init; }

    /// <summary>Exclusive end of the window for a case's first event.</summary>
    public DateTime? ToUtc { get; init; }

    /// <summary>Inclusive start of the window for a case's last event (cases completed in a period).</summary>
    public DateTime? EndedFromUtc { get; init; }

    /// <summary>Exclusive end of the window for a case's last event.</summary>
    public DateTime? EndedToUtc { get; init; }

    /// <summary>Activities to keep; <c>null</c> keeps all.</summary>
    public IReadOnlyList<string>? Activities { get; init; }

    /// <summary>Activities to leave out (e.g. the profile's side activities), removed before ordering like <see cref="Activities"/>.</summary>
    public IReadOnlyList<string> ExcludeActivities { get; init; } = [];

    /// <summary>Conditions on case attributes, all of which must hold.</summary>
    public IReadOnlyList<AttributeCondition> CaseAttributes { get; init; } = [];

    /// <summary>Keep a deterministic sample of about this many cases (every k-th case by a hash of its number); null keeps all.</summary>
    public int? SampleCases { get; init; }

    /// <summary>
    /// In a log with lifecycle transitions, keep each activity's completions only (events whose lifecycle is
    /// <c>complete</c> or absent): a start or schedule event is then not taken for another occurrence of the activity.
    /// A log without any <c>complete</c> event keeps all its events.
    /// </summary>
    public bool CompletionsOnly { get; init; }
}

/// <summary>A condition on a case attribute, e.g. <c>amount &gt;= 100000</c> or <c>region = East</c>.</summary>
/// <param name="Key">The attribute.</param>
/// <param name="Operator">One of <c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</param>
/// <param name="Value">Compared as a number when both sides are numbers, as a boolean for boolean attributes, else as text.</param>
public sealed record AttributeCondition(string Key, string Operator, string Value)
{
    private static readonly string[] Operators = ["!=", ">=", "<=", "=", ">", "<"];

    /// <summary>Parses <c>key OP value</c>.</summary>
    /// <param name="text">e.g. <c>controlled=true</c>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="FormatException">No operator, or no key.</exception>
    public static AttributeCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var op in Operators)
        {
            var i = text.IndexOf(op, StringComparison.Ordinal);
            if (i > 0)
                return new AttributeCondition(text[..i].Trim(), op, text[(i + op.Length)..].Trim());
        }
        throw new FormatException($"'{text}' is not a condition: write KEY=VALUE (or !=, <, <=, >, >=)");
    }

    /// <summary>Whether a set of attributes satisfies the condition (a missing attribute does not).</summary>
    /// <param name="attributes">Attributes as text; numbers in invariant culture.</param>
    public bool Holds(IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (!attributes.TryGetValue(Key, out var actual))
            return false;
        const System.Globalization.NumberStyles Number = System.Globalization.NumberStyles.Float;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        int order;
        if (double.TryParse(actual, Number, culture, out var a) && double.TryParse(Value, Number, culture, out var b))
            order = a.CompareTo(b);
        else if (bool.TryParse(actual, out var x) && bool.TryParse(Value, out var y))
            order = x.CompareTo(y);
        else
            order = string.CompareOrdinal(actual, Value);
        return Operator switch
        {
            "=" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }
}
