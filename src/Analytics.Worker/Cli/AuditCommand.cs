using System.CommandLine;
using Analytics.Application.Models;
using Analytics.Core.Routing;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics audit</c>: the leakage audit of the routing features alone (train runs it too, and refuses what it flags).</summary>
internal static class AuditCommand
{
    public const string Name = "audit";

    public const string Description = "Check the routing features for leakage (attributes that reveal the outcome): the evidence per feature; exit 1 if training would refuse one.";

    public static Command Create(CliContext context)
    {
        var config = Options.Text("--config", "A routing configuration instead of the profile's routing decision.", "FILE");
        var command = new Command(Name, Description) { config };
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new ModelService(store, context.Time).AuditAsync(parse.GetValue(config), ct);
            var code = context.Report(parse, result, r => Print(context, r));
            return code == ExitCodes.Ok && result.Value!.Refused.Count > 0 ? ExitCodes.Failed : code;
        });
        return command;
    }

    private static void Print(CliContext context, LeakageReport r)
    {
        var o = context.Out;
        o.WriteLine($"{r.Cases:N0} labelled orders in the population, {r.OverallRate:P1} needed review");
        o.WriteLine("each feature alone (AUC):");
        foreach (var (key, auc) in r.SingleFeatureAuc.OrderByDescending(a => a.Value))
            o.WriteLine($"  {key,-28} {auc:0.000}");
        if (r.Findings.Count == 0)
        {
            o.WriteLine("no feature reveals the outcome");
            return;
        }
        foreach (var f in r.Findings)
            o.WriteLine($"{(f.AcceptedBecause is not null ? "kept " : f.Refuses ? "LEAK " : "check")}  {f.Key}: {f.Evidence}{(f.AcceptedBecause is null ? "" : $" (accepted: {f.AcceptedBecause})")}");
        if (r.Refused.Count > 0)
            o.WriteLine("train refuses the LEAK lines: leave those features out, or accept each with a reason in \"acceptedFeatures\" of the routing configuration");
        if (r.ToCheck.Count > 0)
            o.WriteLine("check lines: a nearly certain outcome for a real value; make sure the attribute is known at the decision (train goes on)");
    }
}
