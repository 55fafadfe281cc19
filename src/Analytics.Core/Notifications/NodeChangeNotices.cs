using System.Globalization;
using System.Text.RegularExpressions;
using Analytics.Core.Profiles;

namespace Analytics.Core.Notifications;

/// <summary>A new event of a case, with what the notices need to know about the case.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Seq">The event's number in its file (for the order of events at one instant).</param>
/// <param name="Activity">What happened.</param>
/// <param name="Utc">When.</param>
/// <param name="Resource">Who recorded it, or null.</param>
/// <param name="Requester">Who recorded the case's first event, or null.</param>
/// <param name="RequesterUserId">The requester's user id from a case attribute, or null.</param>
public sealed record CaseEvent(string CaseId, long Seq, string Activity, DateTime Utc, string? Resource, string? Requester, string? RequesterUserId)
{
    /// <summary>
    /// The event's identity across files (case, instant, activity), as the loader tells events already stored: with the
    /// subscriber it makes a notice's idempotency key, so an event posted again, or in an overlapping file, is told once.
    /// </summary>
    public string Identity => string.Create(CultureInfo.InvariantCulture, $"{Utc.Ticks}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Activity)))[..12]}");
}

/// <summary>One message to one subscriber about one change of one case.</summary>
/// <param name="IdempotencyKey">node:CASE:EVENT:SUBSCRIBER — the same change is told to the same subscriber once.</param>
/// <param name="Subscriber">requester:NAME or pool:ROLE.</param>
/// <param name="Change">The kind of change.</param>
/// <param name="CaseId">The case.</param>
/// <param name="Text">The message, WeCom markdown, with every piece of data escaped.</param>
/// <param name="Mentions">WeCom user ids to @mention.</param>
public sealed record NodeChangeNotice(string IdempotencyKey, string Subscriber, string Change, string CaseId, string Text, IReadOnlyList<string> Mentions);

/// <summary>Where people are reached: a person's WeCom user id, and the members of a role's pool.</summary>
/// <param name="Resources">Resource (as in the log) → WeCom user id.</param>
/// <param name="Roles">Role → WeCom user ids.</param>
public sealed record PeopleDirectory(IReadOnlyDictionary<string, string> Resources, IReadOnlyDictionary<string, IReadOnlyList<string>> Roles)
{
    /// <summary>Nobody known.</summary>
    public static PeopleDirectory Empty { get; } = new(new Dictionary<string, string>(), new Dictionary<string, IReadOnlyList<string>>());
}

/// <summary>
/// Turns new events into node-change notices: each event's kind of change from the activity's name (the profile's
/// patterns), the subscribers of that kind (the requester of the case, the pool that holds it next), and one message per
/// subscriber in English or Chinese. Pure: the caller reads the events and enqueues the notices exactly once by key.
/// </summary>
public static partial class NodeChangeNotices
{
    /// <summary>The kind of change an activity is.</summary>
    public static string Classify(string activity, IReadOnlyDictionary<string, string> patterns)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var (kind, pattern) in patterns)
            if (Like(activity, pattern))
                return kind;
        return "approved";
    }

    /// <summary>SQL LIKE with % and _ , case-insensitive.</summary>
    public static bool Like(string text, string pattern) =>
        Regex.IsMatch(text, "^" + Regex.Escape(pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The notices of new events.</summary>
    /// <param name="events">The new events, in time order per case.</param>
    /// <param name="settings">Subscriptions and change patterns.</param>
    /// <param name="nextRole">For an activity, the role that holds the case after it (null when the case usually ends there).</param>
    /// <param name="pools">Roles modelled as pools of approvers.</param>
    /// <param name="people">WeCom ids of people and pools.</param>
    /// <param name="lang">en or zh-CN.</param>
    /// <param name="zone">Times are shown in this zone.</param>
    public static IReadOnlyList<NodeChangeNotice> Plan(IReadOnlyList<CaseEvent> events, NotificationSettings settings, Func<string, string?> nextRole,
        IReadOnlySet<string> pools, PeopleDirectory people, string lang, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(nextRole);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(people);
        var zh = lang == "zh-CN";
        var notices = new List<NodeChangeNotice>();
        foreach (var e in events)
        {
            var kind = Classify(e.Activity, settings.Changes);
            var when = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(e.Utc, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var by = e.Resource is { Length: > 0 } r ? Escape(r) : zh ? "（未记录）" : "(not recorded)";
            var holder = kind is "placed" or "withdrawn" or "rejected" ? null : nextRole(e.Activity);
            foreach (var sub in settings.Subscriptions)
            {
                if (sub.Who == "requester" && sub.Changes.Contains(kind) && e.Requester is { Length: > 0 } requester)
                {
                    var id = e.RequesterUserId ?? people.Resources.GetValueOrDefault(requester);
                    var mention = id is not null && IsUserId(id) ? new[] { id } : [];
                    var text = (zh ? ZhRequester(kind) : EnRequester(kind))
                        .Replace("{case}", Escape(e.CaseId), StringComparison.Ordinal).Replace("{activity}", Escape(e.Activity), StringComparison.Ordinal)
                        .Replace("{by}", by, StringComparison.Ordinal).Replace("{when}", when, StringComparison.Ordinal)
                        + (mention.Length > 0 ? $" <@{mention[0]}>" : zh ? $"（申请人 {Escape(requester)}）" : $" (requester {Escape(requester)})");
                    notices.Add(new NodeChangeNotice($"node:{e.CaseId}:{e.Identity}:requester:{requester}", "requester:" + requester, kind, e.CaseId, text, mention));
                }
                // A pool hears of an order arriving for it: after any step that hands the case on to it.
                var role = sub.Who == "pool" ? holder : sub.Who != "requester" && holder == sub.Who ? holder : null;
                if (role is not null && (sub.Changes.Contains("arrived") || sub.Changes.Contains(kind)) && (sub.Who != "pool" || pools.Contains(role)))
                {
                    var members = people.Roles.GetValueOrDefault(role)?.Where(IsUserId).ToList() ?? [];
                    var text = (zh ? "**单据 {case} 等待 {role} 处理**：{activity}（{by}，{when}）" : "**Order {case} is waiting for {role}**: {activity} (by {by}, {when})")
                        .Replace("{case}", Escape(e.CaseId), StringComparison.Ordinal).Replace("{role}", Escape(role), StringComparison.Ordinal)
                        .Replace("{activity}", Escape(e.Activity), StringComparison.Ordinal).Replace("{by}", by, StringComparison.Ordinal).Replace("{when}", when, StringComparison.Ordinal)
                        + string.Concat(members.Select(m => $" <@{m}>"));
                    notices.Add(new NodeChangeNotice($"node:{e.CaseId}:{e.Identity}:pool:{role}", "pool:" + role, "arrived", e.CaseId, text, members));
                }
            }
        }
        return notices;
    }

    private static string EnRequester(string kind) => kind switch
    {
        "rejected" => "**Your order {case} was rejected**: {activity} (by {by}, {when}).",
        "price-changed" => "**The price of your order {case} was changed**: {activity} (by {by}, {when}).",
        "withdrawn" => "**Your order {case} was withdrawn**: {activity} (by {by}, {when}).",
        "placed" => "**Your order {case} was placed**: {activity} (by {by}, {when}).",
        _ => "**Your order {case} moved on**: {activity} (by {by}, {when}).",
    };

    private static string ZhRequester(string kind) => kind switch
    {
        "rejected" => "**您的单据 {case} 被驳回**：{activity}（{by}，{when}）。",
        "price-changed" => "**您的单据 {case} 价格已修改**：{activity}（{by}，{when}）。",
        "withdrawn" => "**您的单据 {case} 已撤回**：{activity}（{by}，{when}）。",
        "placed" => "**您的单据 {case} 已下单**：{activity}（{by}，{when}）。",
        _ => "**您的单据 {case} 已进入下一节点**：{activity}（{by}，{when}）。",
    };

    /// <summary>A WeCom user id: letters, digits and . _ - @ only, so that a mention cannot carry markup.</summary>
    public static bool IsUserId(string id) => UserId().IsMatch(id);

    /// <summary>Data made safe inside WeCom markdown: no link, markup or @mention can be smuggled in.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (ch is '\n' or '\r')
                sb.Append(' ');
            else if (ch is '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '<' or '>' or '#' or '!' or '|' or '~' or '@')
                sb.Append('\\').Append(ch);
            else if (!char.IsControl(ch))
                sb.Append(ch);
        }
        return sb.ToString().Replace("://", ":\u200B//", StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex UserId();
}
