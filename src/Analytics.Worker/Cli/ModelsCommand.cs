using System.CommandLine;
using Analytics.Application.Models;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics models [activate N | health]</c>: model versions, rollback, drift and audited miss rate.</summary>
internal static class ModelsCommand
{
    public const string Name = "models";

    public const string Description = "List the review-need model versions (the active one starred).";

    public static Command Create(CliContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            return Print(context, parse, await new ModelService(store, context.Time).ListAsync(ct));
        });

        var version = new Argument<int>("N") { Description = "The version to make active (also a rollback to an older one)." };
        var activate = new Command("activate", "Make a model version the active one.") { version };
        activate.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            return Print(context, parse, await new ModelService(store, context.Time).ActivateAsync(parse.GetValue(version), ct));
        });

        var days = Options.Int("--days", "The window of latest decisions.", 28, 1, 3650);
        var health = new Command("health", "The active model's live review ratio, audited miss rate and feature drift (PSI) over the latest days.") { days };
        health.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new ModelService(store, context.Time).HealthAsync(parse.GetValue(days), ct);
            return context.Report(parse, result, h =>
            {
                context.Out.WriteLine($"model v{h.ModelVersion}, {h.Days} days from {h.FromUtc:yyyy-MM-dd}: {h.Suggestions:N0} suggestions for {h.Orders:N0} orders, live review ratio {(h.LiveReviewRatio is { } r ? r.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "–")}");
                context.Out.WriteLine($"audit: {h.AuditNeedingReview:N0} of {h.AuditOrders:N0} audited orders needed review; miss rate ≤ {h.AuditMissRateUpperBound:P1}");
                foreach (var d in h.FeatureStability.Take(5))
                    context.Out.WriteLine($"  drift {d.Feature}: PSI {d.Psi:F2}{(d.Psi > 0.25 ? " (shifted)" : "")}");
            });
        });
        command.Subcommands.Add(activate);
        command.Subcommands.Add(health);
        return command;
    }

    private static int Print(CliContext context, System.CommandLine.ParseResult parse, Application.Result<IReadOnlyList<ModelSummary>> result) =>
        context.Report(parse, result, models =>
        {
            if (models.Count == 0)
                context.Out.WriteLine("no model yet: train one with 'analytics train'");
            foreach (var m in models)
                context.Out.WriteLine($"{(m.Active ? "*" : " ")} v{m.Version}  {m.CreatedAt:yyyy-MM-dd HH:mm}  {m.Kind}  AUC {m.Auc:F3}  test from {m.TestFrom:yyyy-MM-dd}  threshold {m.Threshold:F4}  review ratio {m.ReviewRatio:P1}  miss ≤ {m.MissRateUpperBound:P2}");
            if (models.FirstOrDefault(m => m.Active) is { Policy.Count: > 0 } active)
            {
                context.Out.WriteLine($"active v{active.Version}:");
                foreach (var line in active.Policy)
                    context.Out.WriteLine("  " + line);
            }
        }, models => new { models });
}
