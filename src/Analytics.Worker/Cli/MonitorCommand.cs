using System.CommandLine;
using Analytics.Application.Spc;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics monitor</c>: runs the profile's monitored charts once (as the worker does after each ingest) and lists the new signals.</summary>
internal static class MonitorCommand
{
    public const string Name = "monitor";

    public const string Description = "Run the SPC monitor's charts (the profile's 'monitor' list) once; new signals go to the spc_signals table.";

    public static Command Create(CliContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new SpcService(store, context.Time).MonitorAsync(ct);
            return context.Report(parse, result, run =>
            {
                foreach (var s in run.NewSignals)
                    context.Out.WriteLine($"{s.ChartKey} @ {s.Point}: {s.Meaning}");
                context.Out.WriteLine($"{run.NewSignals.Count:N0} new signals recorded in spc_signals ({run.RecordedSignals:N0} in all); {run.Skipped.Count:N0} charts skipped");
                foreach (var reason in run.Skipped)
                    context.Out.WriteLine($"  skipped: {reason}");
            }, run => new { charts = run.Charts, newSignals = run.NewSignals, skipped = run.Skipped, recorded = run.RecordedSignals });
        });
        return command;
    }
}
