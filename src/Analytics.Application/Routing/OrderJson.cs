using System.Text.Json;
using Analytics.Core.Routing;
using Analytics.Core.Time;

namespace Analytics.Application.Routing;

/// <summary>Reads an order to route: <c>{"caseId", "decisionAt" (optional, default now), "attributes": {…}}</c>.</summary>
public static class OrderJson
{
    /// <summary>Parses an order.</summary>
    /// <exception cref="FormatException">A field is missing or malformed; the message names it.</exception>
    public static DecisionCase Parse(JsonElement root, DateTime nowUtc)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException("the order must be a JSON object");
        var caseId = root.TryGetProperty("caseId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s
            ? s : throw new FormatException("caseId is missing");
        var decision = nowUtc;
        if (root.TryGetProperty("decisionAt", out var at) && at.ValueKind != JsonValueKind.Null)
        {
            if (at.ValueKind != JsonValueKind.String || !TimestampParser.TryParse(at.GetString().AsSpan(), TimeZoneInfo.Utc, out decision))
                throw new FormatException($"decisionAt '{at}' is not a timestamp");
        }
        if (!root.TryGetProperty("attributes", out var attrs) || attrs.ValueKind != JsonValueKind.Object)
            throw new FormatException("attributes (an object of case attributes) is missing");
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in attrs.EnumerateObject())
            attributes[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.Number => p.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                JsonValueKind.String => p.Value.GetString(),
                _ => throw new FormatException($"attribute '{p.Name}' must be a number, boolean, string or null"),
            };
        // The end is unknown at decision time; it only orders the history sweep, in which this order comes last.
        return new DecisionCase(caseId, decision, DateTime.MaxValue, true, false, attributes);
    }
}
