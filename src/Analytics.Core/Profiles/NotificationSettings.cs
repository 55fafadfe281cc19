namespace Analytics.Core.Profiles;

/// <summary>What the worker announces through the outbox to the webhook.</summary>
public sealed record NotificationSettings
{
    /// <summary>A message for every routing suggestion made at the decision point.</summary>
    public bool RoutingSuggestions { get; init; } = true;

    /// <summary>A message when the weekly report is written.</summary>
    public bool ReportReady { get; init; } = true;

    /// <summary>A message for each new event that changes where a case stands, to the subscribers of that kind of change.</summary>
    public bool NodeChanges { get; init; } = true;

    /// <summary>
    /// Who is told of which change: <c>requester</c> (whoever recorded the case's first event), <c>pool</c> (the role
    /// that holds the case after the event: the role that most often records the activity that follows it in the log)
    /// or a role's name. Changes: arrived, approved, rejected, price-changed, withdrawn, placed.
    /// </summary>
    public IReadOnlyList<NodeChangeSubscription> Subscriptions { get; init; } = DefaultSubscriptions;

    /// <summary>How an activity's name tells the kind of change (SQL LIKE patterns, case-insensitive, first match wins); an activity matching none is "approved" or a step on.</summary>
    public IReadOnlyDictionary<string, string> Changes { get; init; } = DefaultChanges;

    /// <summary>
    /// A JSON file mapping people to WeCom user ids: <c>{"resources": {"rep-118": "zhangsan"}, "roles": {"PRICE_DESK": ["lisi", "wangwu"]}}</c>;
    /// relative to the folder of the store. Without it (or for a name it lacks), messages name the person without an @mention.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>An early warning to whoever holds an open case once its chance of breaching the SLA reaches <see cref="WarnAt"/> (needs sla.caseHours).</summary>
    public bool SlaWarnings { get; init; } = true;

    /// <summary>The breach probability at which a case is warned, once.</summary>
    public double WarnAt { get; init; } = 0.5;

    /// <summary>Only events within this many hours of the newest event in the store are told (a back-filled year of history is not news).</summary>
    public double RecentHours { get; init; } = 72;

    /// <summary>A case attribute holding the requester's WeCom user id, used before the directory; null for none.</summary>
    public string? RequesterAttribute { get; init; }

    /// <summary>By default the requester hears of every rejection, price change and withdrawal of their order, and a pool of every order that arrives for it.</summary>
    public static IReadOnlyList<NodeChangeSubscription> DefaultSubscriptions { get; } =
    [
        new("requester", ["rejected", "price-changed", "withdrawn"]),
        new("pool", ["arrived"]),
    ];

    /// <summary>Patterns for the kinds of change, tried in this order.</summary>
    public static IReadOnlyDictionary<string, string> DefaultChanges { get; } = new Dictionary<string, string>
    {
        ["rejected"] = "%reject%",
        ["withdrawn"] = "%withdr%",
        ["price-changed"] = "%price chang%",
        ["placed"] = "%placed%",
        ["approved"] = "%approv%",
    };
}

/// <summary>A subscriber of node changes and the kinds it hears of.</summary>
/// <param name="Who">requester, pool, or a role's name.</param>
/// <param name="Changes">arrived, approved, rejected, price-changed, withdrawn, placed.</param>
public sealed record NodeChangeSubscription(string Who, IReadOnlyList<string> Changes);
