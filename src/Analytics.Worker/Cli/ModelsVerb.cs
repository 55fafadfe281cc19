using System.Text.Json;
using Analytics.Storage.Routing;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics models</c> lists model versions; <c>analytics models activate N</c> makes N the active one (also a rollback).</summary>
internal static class ModelsVerb
{
    public static int Run(CommandLine line, VerbContext context)
    {
        line.Allow("days");
        using var store = context.OpenStore();
        var registry = new ModelRegistry(store);
        if (line.Positionals.Count >= 1 && line.Positionals[0] == "health")
        {
            var health = Reports.RoutingHealth.Compute(store, line.Int("days", 28)) ?? throw new UsageException("models health: no active model");
            JsonOutput.Write(health);
            return ExitCodes.Ok;
        }
        if (line.Positionals.Count >= 2 && line.Positionals[0] == "activate")
        {
            if (!int.TryParse(line.Positionals[1], out var version))
                throw new UsageException($"models activate: '{line.Positionals[1]}' is not a version number");
            try
            {
                registry.Activate(version);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException("models activate: " + ex.Message);
            }
        }
        else if (line.Positionals.Count > 0)
            throw new UsageException("models: expected no argument (list) or 'activate N'");
        var models = registry.List().Select(m =>
        {
            using var metrics = JsonDocument.Parse(m.Metrics);
            var r = metrics.RootElement;
            return new
            {
                version = m.Version,
                active = m.Active,
                createdAt = m.CreatedAt,
                kind = m.Kind,
                auc = r.GetProperty("auc").GetDouble(),
                testFrom = r.GetProperty("testFromUtc").GetDateTime(),
                threshold = m.Threshold,
                reviewRatio = r.GetProperty("reviewRatio").GetDouble(),
                missRateUpperBound = r.GetProperty("missRateUpperBound").GetDouble(),
            };
        }).ToList();
        if (line.Json)
            JsonOutput.Write(new { models });
        else
            foreach (var m in models)
                Console.WriteLine($"{(m.active ? "*" : " ")} v{m.version}  {m.createdAt:yyyy-MM-dd HH:mm}  {m.kind}  AUC {m.auc:F3}  test from {m.testFrom:yyyy-MM-dd}  threshold {m.threshold:F4}  review ratio {m.reviewRatio:P1}  miss ≤ {m.missRateUpperBound:P2}");
        return ExitCodes.Ok;
    }
}
