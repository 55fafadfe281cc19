using System.Diagnostics;
using System.Globalization;

namespace Analytics.Application.Diagnostics;

/// <summary>
/// Where a short command's time goes, printed on stderr when <c>ANALYTICS_TRACE=startup</c>: the time from the
/// process's start to <c>Main</c> (runtime start), then each step the command marks (settings, command tree, store
/// open, first query, answer written), each with its share of the whole.
/// </summary>
public static class StartupTrace
{
    private static readonly bool Enabled =
        string.Equals(Environment.GetEnvironmentVariable("ANALYTICS_TRACE"), "startup", StringComparison.OrdinalIgnoreCase);

    private static readonly List<(string Step, double Ms)> Marks = [];
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static double _toMain = double.NaN;

    /// <summary>Marks the start of <c>Main</c> and measures the runtime's start before it.</summary>
    public static void Begin()
    {
        if (!Enabled)
            return;
        try
        {
            _toMain = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        }
        catch (InvalidOperationException)
        {
        }
        Clock.Restart();
    }

    /// <summary>Marks the end of a step.</summary>
    /// <param name="step">What was done since the previous mark.</param>
    public static void Mark(string step)
    {
        if (Enabled)
            Marks.Add((step, Clock.Elapsed.TotalMilliseconds));
    }

    /// <summary>Prints the steps on <paramref name="error"/> when tracing is on.</summary>
    /// <param name="error">Where the trace goes.</param>
    public static void Print(TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!Enabled)
            return;
        var total = Clock.Elapsed.TotalMilliseconds + (double.IsNaN(_toMain) ? 0 : _toMain);
        var inv = CultureInfo.InvariantCulture;
        error.WriteLine(string.Create(inv, $"startup: runtime start to Main {_toMain,7:F1} ms (process start clock, 10 ms resolution)"));
        var previous = 0.0;
        foreach (var (step, ms) in Marks)
        {
            error.WriteLine(string.Create(inv, $"startup: {step,-28} {ms - previous,7:F1} ms"));
            previous = ms;
        }
        error.WriteLine(string.Create(inv, $"startup: {"rest (exit)",-28} {Clock.Elapsed.TotalMilliseconds - previous,7:F1} ms; total ≈ {total:F0} ms"));
    }
}
