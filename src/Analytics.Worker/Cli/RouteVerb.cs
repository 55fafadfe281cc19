using System.Text.Json;
using Analytics.Core.Routing;
using Analytics.Core.Time;
using Analytics.Ml;
using Analytics.Storage.Routing;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics route --order FILE</c>: the routing suggestion for one order
/// (<c>{"caseId", "decisionAt", "attributes": {…}}</c>), scored by the active model with the store's history.
/// </summary>
internal static class RouteVerb
{
    public static int Run(CommandLine line, VerbContext context)
    {
        line.Allow("order");
        var path = line.Required("order");
        using var store = context.OpenStore();
        var record = new ModelRegistry(store).Active() ?? throw new UsageException("route: no active model; run analytics train --config FILE first");
        var config = JsonSerializer.Deserialize<RoutingConfig>(record.Config, JsonOutput.Options)!;
        var space = JsonSerializer.Deserialize<FeatureSpace>(record.FeatureSpace, JsonOutput.Options)!;
        ReviewModel model;
        using (var pipeline = new MemoryStream(record.Pipeline))
            model = ReviewModel.Load(pipeline, space, new PlattScaling(record.PlattA, record.PlattB), record.Kind);
        var order = ReadOrder(path);
        // History and queue come from the store as of the decision instant; the order itself joins the population.
        var cases = RoutingDataset.Read(store, config).Where(c => c.DecisionUtc < order.DecisionUtc && c.CaseId != order.CaseId)
            .Append(order with { InPopulation = true }).ToList();
        var row = FeatureBuilder.Build(cases, config).Single(r => r.CaseId == order.CaseId);
        var probability = model.Probabilities([row])[0];
        var suggestion = RoutingSuggestion.Decide(order.CaseId, order.Attributes, config, probability, record.Threshold, model.Reasons(row), record.Version);
        if (line.Json)
            JsonOutput.Write(suggestion);
        else
            Console.WriteLine($"{suggestion.CaseId}: {suggestion.Route} ({suggestion.Why}; p = {suggestion.Probability:F3}, threshold {suggestion.Threshold:F3}, model v{suggestion.ModelVersion})" +
                              (suggestion.Reasons.Count > 0 ? "\n  because " + string.Join("; ", suggestion.Reasons) : ""));
        return ExitCodes.Ok;
    }

    private static DecisionCase ReadOrder(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var caseId = root.GetProperty("caseId").GetString() ?? throw new FormatException("caseId is empty");
            var at = root.GetProperty("decisionAt").GetString();
            if (!TimestampParser.TryParse(at.AsSpan(), TimeZoneInfo.Utc, out var decision))
                throw new FormatException($"decisionAt '{at}' is not a timestamp");
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in root.GetProperty("attributes").EnumerateObject())
                attributes[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Number => p.Value.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Null => null,
                    _ => p.Value.GetString(),
                };
            // The end is unknown at decision time: it only orders the history sweep, in which this order is last.
            return new DecisionCase(caseId, decision, DateTime.MaxValue, true, false, attributes);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or IOException)
        {
            throw new UsageException($"route: {path}: {ex.Message}");
        }
    }
}
