using System.Text.Json;
using Analytics.Core.Routing;

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
        var active = ActiveModel.Load(store) ?? throw new UsageException("route: no active model; run analytics train --config FILE first");
        using var model = active.Model;
        var suggestion = active.Suggest(store, ReadOrder(path, context.Time.GetUtcNow().UtcDateTime));
        if (line.Json)
            JsonOutput.Write(suggestion);
        else
            Console.WriteLine($"{suggestion.CaseId}: {suggestion.Route} ({suggestion.Why}; p = {suggestion.Probability:F3}, threshold {suggestion.Threshold:F3}, model v{suggestion.ModelVersion})" +
                              (suggestion.Reasons.Count > 0 ? "\n  because " + string.Join("; ", suggestion.Reasons) : ""));
        return ExitCodes.Ok;
    }

    private static DecisionCase ReadOrder(string path, DateTime nowUtc)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return OrderJson.Parse(doc.RootElement, nowUtc);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or IOException)
        {
            throw new UsageException($"route: {path}: {ex.Message}");
        }
    }
}
