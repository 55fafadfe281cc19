using System.CommandLine;
using System.Globalization;
using Analytics.Application.Spc;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics signals</c>: the SPC signals the monitor has recorded, the latest points first.</summary>
internal static class SignalsCommand
{
    public const string Name = "signals";

    public const string Description = "The SPC signals the monitor has recorded (after each ingest in the worker, or 'analytics monitor'), the latest points first.";

    public static Command Create(CliContext context)
    {
        var top = Options.Int("--top", "How many signals to list.", 20, 1, 100_000);
        var chart = Options.Text("--chart-key", "Only the signals of one monitored chart (as listed in the first column).", "KEY");
        var command = new Command(Name, Description) { top, chart };
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new SpcService(store, context.Time).SignalsAsync(parse.GetValue(top), parse.GetValue(chart), ct);
            return context.Report(parse, result, r =>
            {
                if (r.Total == 0)
                {
                    context.Out.WriteLine("no SPC signal recorded yet: the worker's monitor records them after each ingest; 'analytics monitor' runs it now");
                    return;
                }
                foreach (var s in r.Signals)
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{s.Point,-12} {s.ChartKey}: {s.Meaning} (value {s.Value:0.###}, limits {s.Lcl:0.###}–{s.Ucl:0.###}, phase {s.Phase})"));
                context.Out.WriteLine(r.Signals.Count < r.Total
                    ? $"{r.Signals.Count:N0} of {r.Total:N0} signals (use --top N for more)"
                    : $"{r.Total:N0} signals");
            }, r => new { total = r.Total, signals = r.Signals });
        });
        return command;
    }
}
