using System.Globalization;
using System.Text.Json;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;

namespace Analytics.Core.WhatIf;

/// <summary>
/// A change to the process to try out in simulation (see <c>data-samples/scenarios/</c> for the JSON format).
/// Everything not mentioned stays as calibrated.
/// </summary>
public sealed record WhatIfScenario
{
    /// <summary>The empty scenario: the process as it is.</summary>
    public static WhatIfScenario AsIs { get; } = new() { Name = "as-is" };

    /// <summary>Short name, shown with results.</summary>
    public required string Name { get; init; }

    /// <summary>What the scenario means, in words.</summary>
    public string? Description { get; init; }

    /// <summary>A new review policy for a node (e.g. PM review for 15% of orders).</summary>
    public ReviewChange? Review { get; init; }

    /// <summary>New pool sizes by role.</summary>
    public IReadOnlyList<PoolChange> Pools { get; init; } = [];

    /// <summary>New working calendars by role (<c>*</c> for every role), e.g. approvers who also answer in the evening.</summary>
    public IReadOnlyDictionary<string, BusinessCalendar> Calendars { get; init; } = new Dictionary<string, BusinessCalendar>();

    /// <summary>Multipliers of working (or response) time by role, e.g. 0.8 when a checklist makes PMs 20% faster.</summary>
    public IReadOnlyDictionary<string, double> WorkTime { get; init; } = new Dictionary<string, double>();

    /// <summary>Activities skipped or merged, optionally for a segment of cases.</summary>
    public IReadOnlyList<NodeChange> Nodes { get; init; } = [];

    /// <summary>Multiplier of all arrivals (2 doubles the volume).</summary>
    public double VolumeMultiplier { get; init; } = 1;

    /// <summary>Extra multipliers for periods (e.g. a year-end peak).</summary>
    public IReadOnlyList<VolumePeak> Peaks { get; init; } = [];

    /// <summary>End-to-end service level in business hours, for SLA attainment.</summary>
    public double? SlaHours { get; init; }

    /// <summary>Reads a scenario from JSON.</summary>
    /// <param name="json">The document.</param>
    /// <param name="source">Named in error messages (e.g. the file path).</param>
    /// <param name="resolveCalendar">Turns a calendar name or file reference into a calendar; throws <see cref="FormatException"/> if it cannot.</param>
    /// <exception cref="FormatException">The document is not a valid scenario; the message names the field.</exception>
    public static WhatIfScenario Parse(Stream json, string source, Func<string, BusinessCalendar> resolveCalendar)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(resolveCalendar);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON ({ex.Message})", ex);
        }
        using (doc)
            return Parse(doc.RootElement, source, resolveCalendar);
    }

    /// <summary>Reads a scenario from a parsed JSON object.</summary>
    public static WhatIfScenario Parse(JsonElement root, string source, Func<string, BusinessCalendar> resolveCalendar)
    {
        ArgumentNullException.ThrowIfNull(resolveCalendar);
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{source}: a scenario is a JSON object");
        var known = new HashSet<string>(StringComparer.Ordinal) { "name", "description", "review", "pools", "workTime", "calendars", "nodes", "volume", "slaHours" };
        foreach (var p in root.EnumerateObject())
            if (!known.Contains(p.Name))
                throw new FormatException($"{source}: unknown field '{p.Name}' (known: {string.Join(", ", known)})");
        var scenario = new WhatIfScenario
        {
            Name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new FormatException($"{source}: 'name' (text) is required"),
            Description = root.TryGetProperty("description", out var d) ? d.GetString() : null,
            SlaHours = root.TryGetProperty("slaHours", out var sla) ? Positive(sla, source, "slaHours") : null,
        };
        if (root.TryGetProperty("review", out var review))
            scenario = scenario with { Review = ReviewChange.Parse(review, source) };
        if (root.TryGetProperty("pools", out var pools))
        {
            if (pools.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: 'pools' maps a role to a size (3) or a change (\"+1\", \"-1\")");
            scenario = scenario with { Pools = [.. pools.EnumerateObject().Select(p => PoolChange.Parse(p, source))] };
        }
        if (root.TryGetProperty("workTime", out var work))
        {
            if (work.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: 'workTime' maps a role to a multiplier of its working time (0.8 = 20% faster)");
            scenario = scenario with { WorkTime = work.EnumerateObject().ToDictionary(p => p.Name, p => Positive(p.Value, source, $"workTime.{p.Name}"), StringComparer.Ordinal) };
        }
        if (root.TryGetProperty("calendars", out var calendars))
        {
            if (calendars.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: 'calendars' maps a role (or \"*\") to a calendar name or file");
            var map = new Dictionary<string, BusinessCalendar>(StringComparer.Ordinal);
            foreach (var c in calendars.EnumerateObject())
                map[c.Name] = c.Value.ValueKind == JsonValueKind.String
                    ? resolveCalendar(c.Value.GetString()!)
                    : throw new FormatException($"{source}: calendars.{c.Name} must be a calendar name or file");
            scenario = scenario with { Calendars = map };
        }
        if (root.TryGetProperty("nodes", out var nodes))
        {
            if (nodes.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{source}: 'nodes' is a list of {{\"activity\", \"action\": \"skip\"|\"merge\", ...}}");
            scenario = scenario with { Nodes = [.. nodes.EnumerateArray().Select((x, i) => NodeChange.Parse(x, $"{source}: nodes[{i}]"))] };
        }
        if (root.TryGetProperty("volume", out var volume))
        {
            if (volume.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: 'volume' is {{\"multiplier\": 1.2, \"peaks\": [{{\"from\", \"to\", \"multiplier\"}}]}}");
            if (volume.TryGetProperty("multiplier", out var m))
                scenario = scenario with { VolumeMultiplier = Positive(m, source, "volume.multiplier") };
            if (volume.TryGetProperty("peaks", out var peaks))
                scenario = scenario with { Peaks = [.. peaks.EnumerateArray().Select((x, i) => VolumePeak.Parse(x, $"{source}: volume.peaks[{i}]"))] };
        }
        return scenario;
    }

    internal static double Positive(JsonElement e, string source, string field) =>
        e.ValueKind == JsonValueKind.Number && e.GetDouble() is var v && v > 0 && double.IsFinite(v)
            ? v : throw new FormatException($"{source}: '{field}' must be a positive number");

    internal static double Share(JsonElement e, string source, string field) =>
        e.ValueKind == JsonValueKind.Number && e.GetDouble() is var v && v is >= 0 and <= 1
            ? v : throw new FormatException($"{source}: '{field}' must be a number in [0, 1]");
}

/// <summary>A new review policy: which share of all cases a node (a role, an activity, or a LIKE pattern) receives.</summary>
/// <param name="Node">Role, activity, or pattern with <c>%</c> (e.g. <c>PRODUCT_MANAGER</c> or <c>PM %</c>).</param>
/// <param name="Share">Share of all cases that visit the node, 0–1 (e.g. 0.15).</param>
/// <param name="Policy"><c>random</c>: the cases reviewed are a random selection (the review outcomes keep today's mix); <c>model</c>: a routing model picks them, so the reviewed cases hold <paramref name="Recall"/> of those whose review outcome is positive.</param>
/// <param name="PositiveOutcomes">Activities of the node that mean the review was needed (e.g. <c>PM rejected</c>, <c>PM price changed</c>); required for <c>model</c>.</param>
/// <param name="Recall">Share of needed reviews the model still routes to the node at this share; from the active routing model when not given.</param>
public sealed record ReviewChange(string Node, double Share, string Policy = "random", IReadOnlyList<string>? PositiveOutcomes = null, double? Recall = null)
{
    /// <summary>Whether an activity belongs to the node.</summary>
    public bool Matches(ActivityModel activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return NodeMatch.Matches(Node, activity.Name, activity.Role);
    }

    internal static ReviewChange Parse(JsonElement e, string source)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("node", out var node) || node.ValueKind != JsonValueKind.String || !e.TryGetProperty("share", out var share))
            throw new FormatException($"{source}: 'review' is {{\"node\": \"PRODUCT_MANAGER\", \"share\": 0.15, \"policy\": \"random\"|\"model\"}}");
        var policy = e.TryGetProperty("policy", out var p) ? p.GetString() ?? "random" : "random";
        if (policy is not ("random" or "model"))
            throw new FormatException($"{source}: review.policy '{policy}' is neither 'random' nor 'model'");
        var positives = e.TryGetProperty("positiveOutcomes", out var po) && po.ValueKind == JsonValueKind.Array
            ? po.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : null;
        if (policy == "model" && positives is not { Count: > 0 })
            throw new FormatException($"{source}: review.policy 'model' needs 'positiveOutcomes' (the node's activities that mean the review was needed)");
        double? recall = e.TryGetProperty("recall", out var r) ? WhatIfScenario.Share(r, source, "review.recall") : null;
        return new ReviewChange(node.GetString()!, WhatIfScenario.Share(share, source, "review.share"), policy, positives, recall);
    }
}

/// <summary>A new size for a role's pool: absolute, or a change relative to the calibrated size.</summary>
/// <param name="Role">The role.</param>
/// <param name="Size">New size, or <c>null</c> for a relative change.</param>
/// <param name="Change">Approvers added (negative: removed).</param>
public sealed record PoolChange(string Role, int? Size, int Change)
{
    /// <summary>The size after the change (may be below one; the simulation refuses that).</summary>
    public int Apply(int calibrated) => Size ?? calibrated + Change;

    internal static PoolChange Parse(JsonProperty p, string source)
    {
        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var size) && size >= 1)
            return new PoolChange(p.Name, size, 0);
        if (p.Value.ValueKind == JsonValueKind.String && int.TryParse(p.Value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var change)
            && p.Value.GetString()!.TrimStart()[0] is '+' or '-')
            return new PoolChange(p.Name, null, change);
        throw new FormatException($"{source}: pools.{p.Name} must be a size of at least 1 or a change such as \"+1\" or \"-1\"");
    }
}

/// <summary>An activity skipped (no time, no event) or merged into the one before it (done by the same approver at once).</summary>
/// <param name="Activity">The activity, or a role, or a pattern with <c>%</c>.</param>
/// <param name="Action"><c>skip</c> or <c>merge</c>.</param>
/// <param name="Into">For <c>merge</c>: the activity it is merged into (it follows that activity without a new wait).</param>
/// <param name="Where">Conditions on case attributes (all must hold); empty for every case.</param>
public sealed record NodeChange(string Activity, string Action, string? Into, IReadOnlyList<AttributeCondition> Where)
{
    internal static NodeChange Parse(JsonElement e, string source)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("activity", out var a) || a.ValueKind != JsonValueKind.String)
            throw new FormatException($"{source}: needs \"activity\"");
        var action = e.TryGetProperty("action", out var act) ? act.GetString() : null;
        if (action is not ("skip" or "merge"))
            throw new FormatException($"{source}: action must be \"skip\" or \"merge\"");
        var into = e.TryGetProperty("into", out var i) ? i.GetString() : null;
        if (action == "merge" && into is null)
            throw new FormatException($"{source}: merge needs \"into\" (the activity it joins)");
        var where = new List<AttributeCondition>();
        if (e.TryGetProperty("where", out var w))
        {
            if (w.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{source}: where is a list of conditions such as \"order_amount<100000\"");
            foreach (var x in w.EnumerateArray())
            {
                try
                {
                    where.Add(AttributeCondition.Parse(x.GetString() ?? ""));
                }
                catch (FormatException ex)
                {
                    throw new FormatException($"{source}: where: {ex.Message}", ex);
                }
            }
        }
        return new NodeChange(a.GetString()!, action, into, where);
    }
}

/// <summary>A period with more (or fewer) arrivals.</summary>
/// <param name="From">First local date, inclusive.</param>
/// <param name="To">Last local date, exclusive.</param>
/// <param name="Multiplier">Multiplier of arrivals in the period.</param>
public sealed record VolumePeak(DateOnly From, DateOnly To, double Multiplier)
{
    internal static VolumePeak Parse(JsonElement e, string source)
    {
        static DateOnly Date(JsonElement e, string name, string source) =>
            e.TryGetProperty(name, out var v) && DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : throw new FormatException($"{source}: '{name}' must be a date yyyy-MM-dd");
        var from = Date(e, "from", source);
        var to = Date(e, "to", source);
        if (to <= from)
            throw new FormatException($"{source}: 'to' must come after 'from'");
        return new VolumePeak(from, to, e.TryGetProperty("multiplier", out var m) ? WhatIfScenario.Positive(m, source, "multiplier") : throw new FormatException($"{source}: needs 'multiplier'"));
    }
}

/// <summary>Matches a node reference against an activity: exact activity, exact role, or a case-insensitive LIKE pattern on the activity.</summary>
internal static class NodeMatch
{
    public static bool Matches(string node, string activity, string role)
    {
        if (string.Equals(node, activity, StringComparison.Ordinal) || string.Equals(node, role, StringComparison.Ordinal))
            return true;
        if (!node.Contains('%', StringComparison.Ordinal))
            return false;
        var pattern = "^" + string.Join(".*", node.Split('%').Select(System.Text.RegularExpressions.Regex.Escape)) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(activity, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }
}
