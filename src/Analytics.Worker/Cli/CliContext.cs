using System.CommandLine;
using System.Text.Json;
using Analytics.Application;
using Analytics.Storage.Ingestion;
using Analytics.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace Analytics.Worker.Cli;

/// <summary>What every verb needs: the settings, the clock, where its output goes, and how to reach the store.</summary>
internal sealed class CliContext(AnalyticsSettings settings, IConfiguration configuration, TimeProvider time, TextWriter output, TextWriter error, bool interactive)
{
    public AnalyticsSettings Settings { get; } = settings;

    public IConfiguration Configuration { get; } = configuration;

    public TimeProvider Time { get; } = time;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Whether stderr is a terminal (progress and "working…" lines only then).</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>The store of this command: <c>--db</c> or the configured database, opened on first use.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="createsStore">Whether the verb makes stores (ingest, demo, serve); others need <c>--create</c> for a new file.</param>
    public StoreOnDemand Store(ParseResult parse, bool createsStore = false) =>
        new(parse.GetValue(GlobalOptions.Db) ?? Settings.Database, Settings.MemoryLimit, createsStore || parse.GetValue(GlobalOptions.Create));

    /// <summary>A progress bar on stderr when it is a terminal and the answer is not JSON.</summary>
    public Func<string, IProgress<IngestProgress>?>? Progress(ParseResult parse) =>
        Interactive && !parse.GetValue(GlobalOptions.Json) ? _ => new ConsoleProgress(Error) : null;

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, Json.Options));

    /// <summary>
    /// Prints a use case's outcome: the notes on stderr, then the answer (JSON or text) on stdout, or the problem on
    /// stderr; returns the exit code.
    /// </summary>
    public int Report<T>(ParseResult parse, Result<T> result, Action<T> print, Func<T, object>? json = null)
    {
        if (!parse.GetValue(GlobalOptions.Quiet))
            foreach (var note in result.Notes)
                Error.WriteLine($"note: {note}");
        if (!result.Succeeded)
        {
            Error.WriteLine($"analytics: {result.Problem!.Message}");
            return ExitCodes.For(result.Problem.Kind);
        }
        if (parse.GetValue(GlobalOptions.Json))
            Out.WriteLine(JsonSerializer.Serialize(json is null ? result.Value : json(result.Value!), Json.Options));
        else
            print(result.Value!);
        return ExitCodes.Ok;
    }
}
