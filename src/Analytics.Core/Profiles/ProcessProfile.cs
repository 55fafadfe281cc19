using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Core.Calendars;
using Analytics.Core.Routing;
using Analytics.Core.Spc;

namespace Analytics.Core.Profiles;

/// <summary>
/// What a store's process is: its name, business calendar, activities beside the flow, the kind of each role, the
/// review node and routing decision, service levels, the review target, the weekly report and what is announced.
/// Every analysis reads it; a command-line flag overrides one value for one call. Stored in the database as JSON
/// (<see cref="ToJson"/>, <see cref="Parse(string, string)"/>), versioned by <see cref="Format"/>.
/// </summary>
public sealed record ProcessProfile
{
    /// <summary>The JSON format this build writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The calendar used where no profile names one: pm4py's business-hours convention.</summary>
    public const string DefaultCalendar = "utc-weekdays-9-17";

    /// <summary>The version of the JSON format.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The process's display name, used as the report's title (e.g. "Special-price approvals").</summary>
    public required string Name { get; init; }

    /// <summary>The business calendar: a built-in name, or a calendar definition in the calendar file format.</summary>
    [JsonConverter(typeof(CalendarChoiceConverter))]
    public CalendarChoice Calendar { get; init; } = CalendarChoice.BuiltIn(DefaultCalendar);

    /// <summary>Activities recorded beside the approval flow (e.g. a CRM's "Bid won"): left out of waiting, bottlenecks and simulation.</summary>
    public IReadOnlyList<string> SideActivities { get; init; } = [];

    /// <summary>Each role of the log as an approver pool, a delay or a system account; roles not listed are pools.</summary>
    public IReadOnlyDictionary<string, RoleKind> Roles { get; init; } = new Dictionary<string, RoleKind>();

    /// <summary>Resources that are system or batch accounts, whatever role they act in.</summary>
    public IReadOnlyList<string> SystemResources { get; init; } = [];

    /// <summary>The review node; null when the process has none (no review card, ratio chart or routing section).</summary>
    public ReviewSettings? Review { get; init; }

    /// <summary>The routing decision the review-need model is trained for; null without one.</summary>
    public RoutingConfig? Routing { get; init; }

    /// <summary>Service levels.</summary>
    public SlaSettings Sla { get; init; } = new();

    /// <summary>Activities that are a rejection (LIKE pattern, case-insensitive), for rework and first-pass yield.</summary>
    public string RejectPattern { get; init; } = "%reject%";

    /// <summary>The weekly report.</summary>
    public ReportSettings Report { get; init; } = new();

    /// <summary>Charts the SPC monitor recomputes after every ingest.</summary>
    public IReadOnlyList<MonitoredChart> Monitor { get; init; } = DefaultMonitor;

    /// <summary>What is announced through the webhook.</summary>
    public NotificationSettings Notify { get; init; } = new();

    /// <summary>Weekly I-MR charts of each node's waiting and of end-to-end time, on a log scale.</summary>
    public static IReadOnlyList<MonitoredChart> DefaultMonitor { get; } =
    [
        new MonitoredChart { Metric = "node-latency", Node = "*", Chart = "imr", Subgroup = "week", Transform = "log" },
        new MonitoredChart { Metric = "cycle-time", Chart = "imr", Subgroup = "week", Transform = "log" },
    ];

    /// <summary>The profile a store without an accepted one is analysed with: UTC weekdays 09–17, no review node, no SLA.</summary>
    public static ProcessProfile Default { get; } = new() { Name = "Process" };

    /// <summary>Whether a role is modelled as a queue of approvers.</summary>
    public RoleKind KindOf(string role) => Roles.TryGetValue(role, out var kind) ? kind : RoleKind.Pool;

    /// <summary>Resolves the calendar.</summary>
    /// <exception cref="FormatException">The definition is not a valid calendar, or the name is not built in.</exception>
    public BusinessCalendar ResolveCalendar() => Calendar.Resolve("profile calendar");

    /// <summary>The JSON form, indented; with <paramref name="comments"/> each top-level field is preceded by a line saying what it is.</summary>
    public string ToJson(bool comments = false)
    {
        var json = JsonSerializer.Serialize(this, WriteOptions);
        if (!comments)
            return json;
        var text = new StringBuilder();
        foreach (var line in json.Split('\n'))
        {
            if (line.StartsWith("  \"", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal))
            {
                var key = line[3..line.IndexOf('"', 3)];
                if (Comments.TryGetValue(key, out var comment))
                    text.Append("  // ").Append(comment).Append('\n');
            }
            text.Append(line).Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>Reads a profile (comments and trailing commas allowed; unknown fields refused).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Named in error messages (a file name, "stored profile v3").</param>
    /// <exception cref="FormatException">Not a valid profile; the message names the field.</exception>
    public static ProcessProfile Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ProcessProfile profile;
        try
        {
            profile = JsonSerializer.Deserialize<ProcessProfile>(json, ReadOptions) ?? throw new FormatException($"{source}: empty");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: {ex.Message}", ex);
        }
        profile.Validate(source);
        return profile;
    }

    /// <summary>Checks the values that JSON alone cannot.</summary>
    /// <exception cref="FormatException">A value is out of range; the message names the field.</exception>
    public void Validate(string source)
    {
        if (Format != CurrentFormat)
            throw new FormatException($"{source}: format {Format} is not the profile format this build reads ({CurrentFormat})");
        if (string.IsNullOrWhiteSpace(Name))
            throw new FormatException($"{source}: name is empty; give the process a display name");
        _ = Calendar.Resolve($"{source}: calendar");
        if (Review is { } review)
        {
            if (string.IsNullOrWhiteSpace(review.Role))
                throw new FormatException($"{source}: review.role is empty");
            if (review.Activities is null || review.Activities.Count == 0)
                throw new FormatException($"{source}: review.activities is empty (the activities that are a visit of {review.Role})");
            if (review.Target is { } t && !(t > 0 && t < 1))
                throw new FormatException($"{source}: review.target {t} is not a share between 0 and 1 (e.g. 0.15)");
        }
        Routing?.Validate($"{source}: routing");
        if (Sla.CaseHours is { } hours && !(hours > 0 && double.IsFinite(hours)))
            throw new FormatException($"{source}: sla.caseHours must be a positive number of business hours");
        foreach (var (node, h) in Sla.NodeHours)
            if (!(h > 0 && double.IsFinite(h)))
                throw new FormatException($"{source}: sla.nodeHours.{node} must be a positive number of business hours");
        if (Report.Language is not ("en" or "zh-CN"))
            throw new FormatException($"{source}: report.language '{Report.Language}' (en or zh-CN)");
        foreach (var chart in Monitor)
        {
            if (!ChartKinds.TryParse(chart.Chart, out _))
                throw new FormatException($"{source}: monitor: unknown chart '{chart.Chart}' ({ChartKinds.Names})");
            if (chart.Metric is not ("node-latency" or "cycle-time" or "review-ratio"))
                throw new FormatException($"{source}: monitor: unknown metric '{chart.Metric}' (node-latency, cycle-time, review-ratio)");
        }
    }

    private static readonly Dictionary<string, string> Comments = new(StringComparer.Ordinal)
    {
        ["format"] = "Profile format version.",
        ["name"] = "Display name of the process: the weekly report's title.",
        ["calendar"] = "Business calendar: a built-in name (utc-weekdays-9-17, cn-shanghai, europe-central-weekdays-9-17, …) or a calendar object as in data-samples/calendars/.",
        ["sideActivities"] = "Activities recorded beside the approval flow: left out of waiting times, bottlenecks and what-if models.",
        ["roles"] = "Each role: pool (approvers taking orders from a queue), delay (requester, customer) or system (a system or batch account). Unlisted roles are pools.",
        ["systemResources"] = "Resources that are system or batch accounts.",
        ["review"] = "The review node: its role, the activities that are a visit, the attribute that routes orders there today, and the target share of cases; null if none.",
        ["routing"] = "The routing decision the review-need model learns (format of data-samples/routing/*.routing.json); null if none.",
        ["sla"] = "Service levels in business hours: caseHours end to end, nodeHours waiting before a node.",
        ["rejectPattern"] = "Activities that are a rejection (SQL LIKE pattern, case-insensitive).",
        ["report"] = "Weekly report: language (en, zh-CN) and when the worker writes it (day and local time in the calendar's zone; day null turns it off).",
        ["monitor"] = "Control charts the SPC monitor recomputes after every ingest.",
        ["notify"] = "What is announced through the webhook.",
    };

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter<DayOfWeek>(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<DayOfWeek>(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
