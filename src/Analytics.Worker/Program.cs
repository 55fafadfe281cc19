using System.Runtime.InteropServices;
using Analytics.Core.Diagnostics;
using Analytics.Worker.Cli;

namespace Analytics.Worker;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("ANALYTICS_TRACE"), "startup", StringComparison.OrdinalIgnoreCase))
            PhaseTrace.Start((DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });
        AnalyticsCli.PrefetchStore = true;
        var code = await AnalyticsCli.RunAsync(args, Console.Out, Console.Error, !Console.IsErrorRedirected, TimeProvider.System, cancel.Token);
        PhaseTrace.Print(Console.Error);
        return code;
    }
}
