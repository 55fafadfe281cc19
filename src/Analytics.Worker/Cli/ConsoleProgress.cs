using System.Diagnostics;
using Analytics.Storage.Ingestion;

namespace Analytics.Worker.Cli;

/// <summary>A one-line progress bar on stderr, drawn only when stderr is a terminal so pipes and logs stay clean.</summary>
internal sealed class ConsoleProgress(TextWriter error) : IProgress<IngestProgress>, IDisposable
{
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private bool _drawn;

    public void Report(IngestProgress value)
    {
        if (_sinceDraw.ElapsedMilliseconds < 100 && value.Done < value.Total)
            return;
        _sinceDraw.Restart();
        var name = Path.GetFileName(value.Path);
        var line = value.Total > 0
            ? $"{Bar((double)value.Done / value.Total)} {100.0 * value.Done / value.Total,5:F1}%  {value.Phase} {name}"
            : $"{value.Phase} {name}";
        var width = Math.Max(20, SafeWidth() - 1);
        error.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
        _drawn = true;
    }

    public void Dispose()
    {
        if (_drawn)
            error.Write("\r" + new string(' ', Math.Max(20, SafeWidth() - 1)) + "\r");
    }

    private static string Bar(double fraction)
    {
        const int Width = 30;
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * Width);
        return "[" + new string('#', filled) + new string('.', Width - filled) + "]";
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }
}
