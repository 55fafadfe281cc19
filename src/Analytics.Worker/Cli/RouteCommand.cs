using System.CommandLine;
using System.Text.Json;
using Analytics.Application.Routing;
using Analytics.Core.Routing;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics route --order FILE</c>: the routing suggestion for one order (<c>{"caseId", "decisionAt", "attributes": {…}}</c>),
/// through the same path as the API: scored, recorded, and announced once.
/// </summary>
internal static class RouteCommand
{
    public const string Name = "route";

    public const string Description = "The routing suggestion for one order, with reasons, from the active model; recorded and queued for the webhook like the API's.";

    public static Command Create(CliContext context)
    {
        var order = new Option<string>("--order") { Description = "The order as JSON: {\"caseId\", \"decisionAt\" (default now), \"attributes\": {…}} (see data-samples/routing/example-order.json).", Required = true, HelpName = "FILE" };
        var command = new Command(Name, Description) { order };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(order)!;
            DecisionCase parsed;
            try
            {
                using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path, ct));
                parsed = OrderJson.Parse(doc.RootElement, context.Time.GetUtcNow().UtcDateTime);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"analytics: route: {path}: {ex.Message}");
                return ExitCodes.Usage;
            }
            using var store = context.Store(parse);
            using var routing = new RoutingService(store, context.Time);
            var result = await routing.RouteAsync(parsed, ct, waitForCommit: true);
            return context.Report(parse, result, s => context.Out.WriteLine(
                $"{s.CaseId}: {s.Route} ({s.Why}; p = {s.Probability:F3}, threshold {s.Threshold:F3}, model v{s.ModelVersion})" +
                (s.Reasons.Count > 0 ? "\n  because " + string.Join("; ", s.Reasons) : "")));
        });
        return command;
    }
}
