using System.Diagnostics;
using System.Globalization;

namespace Analytics.Core.Diagnostics;

/// <summary>
/// Where a command's time goes: the steps it marks (settings, command tree, store open, the phases of a load, the
/// answer), each with its time since the mark before, printed by the entry point when tracing is on (the executable
/// turns it on with <c>ANALYTICS_TRACE=startup</c>). Off, a mark costs a branch.
/// </summary>
public static class PhaseTrace
{
    private static readonly List<(string Step, double Ms)> Marks = [];
    private static readonly Stopwatch Clock = new();
    private static readonly Lock Gate = new();
    private static double _beforeStart = double.NaN;

    /// <summary>Whether marks are recorded.</summary>
    public static bool Enabled { get; private set; }

    /// <summary>Turns tracing on from now.</summary>
    /// <param name="sinceProcessStart">How long the process ran before this call (the runtime's start), when known.</param>
    public static void Start(double? sinceProcessStart)
    {
        _beforeStart = sinceProcessStart ?? double.NaN;
        Enabled = true;
        Clock.Restart();
    }

    /// <summary>Marks the end of a step.</summary>
    /// <param name="step">What was done since the previous mark.</param>
    public static void Mark(string step)
    {
        if (!Enabled)
            return;
        lock (Gate)
            Marks.Add((step, Clock.Elapsed.TotalMilliseconds));
    }

    /// <summary>Prints the steps on <paramref name="error"/> when tracing is on.</summary>
    /// <param name="error">Where the trace goes.</param>
    public static void Print(TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!Enabled)
            return;
        var inv = CultureInfo.InvariantCulture;
        var end = Clock.Elapsed.TotalMilliseconds;
        error.WriteLine(string.Create(inv, $"trace: {"runtime start to Main",-36} {_beforeStart,7:F1} ms (process start clock, 10 ms resolution)"));
        var previous = 0.0;
        lock (Gate)
            foreach (var (step, ms) in Marks)
            {
                error.WriteLine(string.Create(inv, $"trace: {step,-36} {ms - previous,7:F1} ms"));
                previous = ms;
            }
        error.WriteLine(string.Create(inv, $"trace: {"rest",-36} {end - previous,7:F1} ms; total ≈ {end + (double.IsNaN(_beforeStart) ? 0 : _beforeStart):F0} ms"));
    }
}
