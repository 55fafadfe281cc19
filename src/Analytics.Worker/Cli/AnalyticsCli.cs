using System.CommandLine;
using System.CommandLine.Invocation;
using Analytics.Core.Diagnostics;
using Analytics.Storage;
using Analytics.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace Analytics.Worker.Cli;

/// <summary>
/// The <c>analytics</c> command line on System.CommandLine: one command per verb with its own help, typo
/// corrections, and cancellation (Ctrl-C or SIGTERM) passed to the use case, which stops cleanly (exit 130).
/// </summary>
internal static class AnalyticsCli
{
    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where answers go (stdout).</param>
    /// <param name="error">Where notes, progress and problems go (stderr).</param>
    /// <param name="interactive">Whether stderr is a terminal (progress bars).</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Ctrl-C or SIGTERM.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return await RunOnceAsync(args, output, error, interactive, time, cancellationToken);
        }
        finally
        {
            Application.StorePrefetch.Release();
        }
    }

    /// <summary>
    /// Whether a verb's store is opened on the second core while the line is parsed (<see cref="Application.StorePrefetch"/>).
    /// Only the process's own entry point sets it: commands run side by side in one process (tests) open their own.
    /// </summary>
    internal static bool PrefetchStore { get; set; }

    private static async Task<int> RunOnceAsync(string[] args, TextWriter output, TextWriter error, bool interactive, TimeProvider time, CancellationToken cancellationToken)
    {
        string? db = null;
        var readsStore = PrefetchStore && ReadsStore(args, out db);
        if (readsStore && db is not null)
            Application.StorePrefetch.Start(db);
        PhaseTrace.Mark("prefetch started");
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        PhaseTrace.Mark("configuration");
        var context = new CliContext(AnalyticsSettings.From(configuration), configuration, time, output, error, interactive);
        PhaseTrace.Mark("settings");
        if (readsStore && db is null)
            Application.StorePrefetch.Start(context.Settings.Database);
        var root = Root(context, args);
        PhaseTrace.Mark("command tree");
        var parse = root.Parse(args);
        PhaseTrace.Mark("parse");
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction errorAction)
        {
            // Errors and "did you mean", then where the verb's help is; not the whole help page.
            errorAction.ShowHelp = false;
            // Everything about a usage error goes to stderr: stdout stays for answers (--json).
            using var said = new StringWriter();
            await parse.InvokeAsync(Invocation(said, said), cancellationToken);
            error.Write(said.ToString());
            var verb = parse.CommandResult.Command;
            // Typo corrections for options too, where System.CommandLine gave none.
            var options = verb.Options.Concat(root.Options).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct().ToList();
            if (!said.ToString().Contains("Did you mean", StringComparison.OrdinalIgnoreCase))
                foreach (var token in parse.UnmatchedTokens.Where(t => t.StartsWith("--", StringComparison.Ordinal)))
                    if (Application.Suggest.Nearest(token, options) is { Length: > 0 } hint)
                        error.WriteLine($"'{token}':{hint.Replace(" (", " ", StringComparison.Ordinal).TrimEnd(')')}");
            error.WriteLine($"see 'analytics {(verb == root ? "" : Path(verb) + " ")}--help'");
            return ExitCodes.Usage;
        }
        try
        {
            var code = await parse.InvokeAsync(Invocation(output, error), cancellationToken);
            PhaseTrace.Mark("command's work and answer");
            return code;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("analytics: cancelled; nothing of the work in progress was stored");
            return ExitCodes.Cancelled;
        }
        catch (StoreUnavailableException ex)
        {
            error.WriteLine($"analytics: {ex.Message}");
            return ExitCodes.StoreUnavailable;
        }
    }

    /// <summary>The verbs that open an existing store through the command's <c>StoreOnDemand</c>, the store's open worth starting early.</summary>
    private static readonly HashSet<string> StoreVerbs = new(StringComparer.Ordinal)
    {
        StatsCommand.Name, IngestCommand.Name, ProfileCommand.Name, MineCommand.Name, SpcCommand.Name, MonitorCommand.Name,
        SignalsCommand.Name, TrainCommand.Name, AuditCommand.Name, RouteCommand.Name, ModelsCommand.Name, PredictCommand.Name,
        ReportCommand.Name, WhatIfCommand.Name,
    };

    /// <summary>Whether the line runs a verb of <see cref="StoreVerbs"/> (not its help), and the <c>--db</c> it gives, if any.</summary>
    internal static bool ReadsStore(IReadOnlyList<string> args, out string? db)
    {
        db = null;
        string? verb = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "--help" or "-h" or "-?" or "--version")
                return false;
            if (a == GlobalOptions.Db.Name && i + 1 < args.Count)
                db = args[++i];
            else if (a.StartsWith(GlobalOptions.Db.Name + "=", StringComparison.Ordinal))
                db = a[(GlobalOptions.Db.Name.Length + 1)..];
            else if (verb is null && !a.StartsWith('-'))
                verb = a;
        }
        return verb is not null && StoreVerbs.Contains(verb);
    }

    private static InvocationConfiguration Invocation(TextWriter output, TextWriter error) => new()
    {
        Output = output,
        Error = error,
        EnableDefaultExceptionHandler = false,
        // Cancellation is ours: Program turns Ctrl-C and SIGTERM into the token.
        ProcessTerminationTimeout = null,
    };

    private static string Path(Command command) => string.Join(' ', Ancestry(command).Reverse().Select(c => c.Name));

    private static IEnumerable<Command> Ancestry(Command command)
    {
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
            yield return c;
    }

    /// <summary>The verbs, in the order of the help page.</summary>
    private static readonly (string Name, string Description, Func<CliContext, Command> Create)[] Verbs =
    [
        (ServeCommand.Name, ServeCommand.Description, ServeCommand.Create),
        (IngestCommand.Name, IngestCommand.Description, IngestCommand.Create),
        (StatsCommand.Name, StatsCommand.Description, StatsCommand.Create),
        (ProfileCommand.Name, ProfileCommand.Description, ProfileCommand.Create),
        (DemoCommand.Name, DemoCommand.Description, DemoCommand.Create),
        (MineCommand.Name, MineCommand.Description, MineCommand.Create),
        (SpcCommand.Name, SpcCommand.Description, SpcCommand.Create),
        (MonitorCommand.Name, MonitorCommand.Description, MonitorCommand.Create),
        (SignalsCommand.Name, SignalsCommand.Description, SignalsCommand.Create),
        (GenerateCommand.Name, GenerateCommand.Description, GenerateCommand.Create),
        (TrainCommand.Name, TrainCommand.Description, TrainCommand.Create),
        (AuditCommand.Name, AuditCommand.Description, AuditCommand.Create),
        (RouteCommand.Name, RouteCommand.Description, RouteCommand.Create),
        (ModelsCommand.Name, ModelsCommand.Description, ModelsCommand.Create),
        (PredictCommand.Name, PredictCommand.Description, PredictCommand.Create),
        (ReportCommand.Name, ReportCommand.Description, ReportCommand.Create),
        (WhatIfCommand.Name, WhatIfCommand.Description, WhatIfCommand.Create),
    ];

    /// <summary>
    /// The command tree. Only the verbs named on the command line are built with their options; the others are their
    /// name and description, enough for the help page and typo corrections (a verb's options cost start-up time).
    /// </summary>
    internal static RootCommand Root(CliContext context, IReadOnlyCollection<string>? args = null)
    {
        var root = new RootCommand("analytics — process mining, SPC, routing and what-if over an embedded DuckDB event store. With no verb: serve.")
        {
            GlobalOptions.Db, GlobalOptions.Json, GlobalOptions.Create, GlobalOptions.Quiet,
        };
        foreach (var (name, description, create) in Verbs)
            root.Subcommands.Add(args is null || args.Contains(name) ? create(context) : new Command(name, description));
        root.SetAction((parse, ct) => ServeCommand.RunAsync(context, parse, null, null, false, ct));
        return root;
    }
}
