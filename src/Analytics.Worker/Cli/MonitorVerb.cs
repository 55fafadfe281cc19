using Analytics.Storage.Spc;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics monitor</c>: runs the SPC monitor's charts once (as the worker does after each ingest) and lists the new signals.</summary>
internal static class MonitorVerb
{
    public static int Run(CommandLine line, VerbContext context, CancellationToken cancellationToken)
    {
        line.Allow();
        using var store = context.OpenStore();
        var (signals, skipped) = new SpcMonitor(store, context.Time).Run(context.Settings.SpcCharts, CalendarOption.Resolve, cancellationToken);
        if (line.Json)
            JsonOutput.Write(new { charts = context.Settings.SpcCharts.Count, newSignals = signals, skipped });
        else
        {
            foreach (var s in signals)
                Console.WriteLine($"{s.ChartKey} @ {s.Point}: {s.Meaning}");
            Console.WriteLine($"{signals.Count:N0} new signals recorded in spc_signals; {skipped.Count:N0} charts skipped");
        }
        return ExitCodes.Ok;
    }
}
