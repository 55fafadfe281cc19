using System.Globalization;
using System.Text.Json;
using Analytics.Core.Mining;
using Analytics.Core.Time;
using Analytics.Core.WhatIf;

namespace Analytics.Application.WhatIf;

/// <summary>
/// What a what-if call asks for, from the command line or an HTTP body. Every field left null is the process
/// profile's: its calendar, its side activities as the excluded ones, its review node's routing attribute, its roles
/// as pools and delays, its SLA.
/// </summary>
public sealed record WhatIfRequest
{
    /// <summary>A calendar name or file; null for the profile's.</summary>
    public string? Calendar { get; init; }

    /// <summary>Training window of case starts; either side may be open.</summary>
    public (DateTime? From, DateTime? To) Train { get; init; }

    /// <summary>Test window of case starts.</summary>
    public (DateTime? From, DateTime? To) Test { get; init; }

    /// <summary>Activities to leave out; null for the profile's side activities.</summary>
    public IReadOnlyList<string>? Exclude { get; init; }

    /// <summary>Pool sizes that override the estimate.</summary>
    public IReadOnlyDictionary<string, int> Pools { get; init; } = new Dictionary<string, int>();

    /// <summary>Roles modelled as approver queues; null for the profile's pools.</summary>
    public IReadOnlyList<string>? Pooled { get; init; }

    /// <summary>Roles modelled as delays; null for the profile's delays and system accounts.</summary>
    public IReadOnlyList<string>? Delay { get; init; }

    /// <summary>The attribute routing is conditioned on; null for the profile's review routing attribute, "" for none.</summary>
    public string? RouteBy { get; init; }

    /// <summary>Orders meeting all these go first in the approvers' queues.</summary>
    public IReadOnlyList<AttributeCondition> Priority { get; init; } = [];

    /// <summary>Cases in scope.</summary>
    public IReadOnlyList<AttributeCondition> Where { get; init; } = [];

    /// <summary>Replications of each run.</summary>
    public int Replications { get; init; } = 10;

    /// <summary>Seed of the simulation.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>End-to-end SLA in business hours; null for the scenario's, else the profile's.</summary>
    public double? SlaHours { get; init; }

    /// <summary>Length of a scenario's horizon.</summary>
    public int HorizonDays { get; init; } = 365;

    /// <summary>Start of a scenario's horizon; null for the end of the log.</summary>
    public DateTime? HorizonFrom { get; init; }

    /// <summary>Warm-up of each replication, days.</summary>
    public int WarmupDays { get; init; } = 30;

    /// <summary>The HTTP body: <c>{"scenario": {…}, "replications", "calendar", "train": "FROM..TO", "test", "exclude": [], "pools": {}, "slaHours", "horizonDays"}</c>.</summary>
    /// <exception cref="FormatException">A field is missing, unknown or malformed; the message names it.</exception>
    public static (WhatIfRequest Request, WhatIfScenario Scenario) FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new FormatException("the body must be a JSON object with a 'scenario'");
        var known = new HashSet<string>(StringComparer.Ordinal) { "scenario", "replications", "seed", "calendar", "train", "test", "exclude", "pools", "pooled", "delay", "routeBy", "priority", "where", "slaHours", "horizonDays", "horizonFrom", "warmupDays" };
        foreach (var p in body.EnumerateObject())
            if (!known.Contains(p.Name))
                throw new FormatException($"unknown field '{p.Name}' (known: {string.Join(", ", known)})");
        if (!body.TryGetProperty("scenario", out var s))
            throw new FormatException("the body needs a 'scenario' object (the format of data-samples/scenarios/*.json)");
        var scenario = WhatIfScenario.Parse(s, "scenario", name => Calendars.Resolve(name));
        string? Text(string name) => body.TryGetProperty(name, out var v)
            ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Null ? null : throw new FormatException($"'{name}' must be text"))
            : null;
        int Int(string name, int fallback, int min, int max) => body.TryGetProperty(name, out var v)
            ? (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= min && i <= max ? i : throw new FormatException($"'{name}' must be a whole number from {min} to {max}"))
            : fallback;
        IReadOnlyList<string>? Strings(string name)
        {
            if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
                throw new FormatException($"'{name}' must be a list of text");
            return [.. v.EnumerateArray().Select(x => x.GetString()!)];
        }
        var pools = new Dictionary<string, int>(StringComparer.Ordinal);
        if (body.TryGetProperty("pools", out var ps))
        {
            if (ps.ValueKind != JsonValueKind.Object)
                throw new FormatException("'pools' must be an object of role: size");
            foreach (var p in ps.EnumerateObject())
                pools[p.Name] = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var size) && size >= 1 ? size : throw new FormatException($"pools.{p.Name} must be a size of at least 1");
        }
        double? sla = null;
        if (body.TryGetProperty("slaHours", out var slaValue) && slaValue.ValueKind != JsonValueKind.Null)
            sla = slaValue.ValueKind == JsonValueKind.Number && slaValue.TryGetDouble(out var h) && h > 0 && double.IsFinite(h)
                ? h : throw new FormatException("'slaHours' must be a positive number of business hours");
        var request = new WhatIfRequest
        {
            Calendar = Text("calendar"),
            Train = Window(Text("train"), "train"),
            Test = Window(Text("test"), "test"),
            Exclude = Strings("exclude"),
            Pools = pools,
            Pooled = Strings("pooled"),
            Delay = Strings("delay"),
            RouteBy = Text("routeBy"),
            Priority = (Strings("priority") ?? []).Select(c => Condition(c, "priority")).ToList(),
            Where = (Strings("where") ?? []).Select(c => Condition(c, "where")).ToList(),
            Replications = Int("replications", 10, 1, 200),
            Seed = Int("seed", 1, int.MinValue, int.MaxValue),
            SlaHours = sla,
            HorizonDays = Int("horizonDays", 365, 1, 3650),
            HorizonFrom = Instant(Text("horizonFrom"), "horizonFrom"),
            WarmupDays = Int("warmupDays", 30, 0, 365),
        };
        return (request, scenario);
    }

    /// <summary>Parses <c>FROM..TO</c> (either side may be empty).</summary>
    /// <exception cref="FormatException">Malformed, or it ends before it starts.</exception>
    public static (DateTime?, DateTime?) Window(string? text, string option)
    {
        if (text is null)
            return (null, null);
        var parts = text.Split("..", 2);
        if (parts.Length != 2)
            throw new FormatException($"--{option}: '{text}' is not FROM..TO (e.g. 2024-01-01..2025-07-01; either side may be empty)");
        var from = parts[0].Length == 0 ? null : Instant(parts[0], option);
        var to = parts[1].Length == 0 ? null : Instant(parts[1], option);
        if (from is not null && to is not null && to <= from)
            throw new FormatException($"--{option}: '{text}' ends before it starts");
        return (from, to);
    }

    /// <summary>Parses a date or timestamp (ISO 8601; UTC unless it carries an offset).</summary>
    /// <exception cref="FormatException">Not a timestamp.</exception>
    public static DateTime? Instant(string? text, string option)
    {
        if (text is null)
            return null;
        return TimestampParser.TryParse(text.AsSpan(), TimeZoneInfo.Utc, out var utc)
            ? utc
            : throw new FormatException($"--{option}: '{text}' is not a date or timestamp (ISO 8601, e.g. 2019-03-01 or 2019-03-01T08:00:00+01:00)");
    }

    /// <summary>Parses a condition, naming the option in the error.</summary>
    /// <exception cref="FormatException">Not KEY OP VALUE.</exception>
    public static AttributeCondition Condition(string text, string option)
    {
        try
        {
            return AttributeCondition.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{option}: {ex.Message}", ex);
        }
    }

    internal string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Replications} replications, seed {Seed}");
}
