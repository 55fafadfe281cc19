using System.CommandLine;
using Analytics.Application;
using Analytics.Storage;
using Analytics.Worker.Hosting;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics serve</c> (also the default with no verb): runs the background worker — inbox watcher, SPC monitor,
/// routing, outbox, report schedule — and the HTTP API; it owns the database while it runs.
/// </summary>
internal static class ServeCommand
{
    public const string Name = "serve";

    public const string Description = "Run the worker: watch the inbox, monitor, route, notify, write the weekly report, answer the HTTP API; it owns the database.";

    public static Command Create(CliContext context)
    {
        var inbox = Options.Text("--inbox", "The folder watched for log files (default: Analytics:Inbox, data/inbox).", "DIR");
        var urls = Options.Text("--urls", "Where the HTTP API listens (default: Analytics:Urls, http://127.0.0.1:5080).", "URL");
        var insecure = Options.Flag("--allow-insecure-public",
            "Allow --urls to listen beyond this machine over plain HTTP (the API key then crosses the network in clear); otherwise refused.");
        var command = new Command(Name, Description) { inbox, urls, insecure };
        command.SetAction((parse, ct) => RunAsync(context, parse, parse.GetValue(inbox), parse.GetValue(urls), parse.GetValue(insecure), ct));
        return command;
    }

    public static async Task<int> RunAsync(CliContext context, ParseResult parse, string? inbox, string? urls, bool allowInsecurePublic, CancellationToken cancellationToken)
    {
        if (urls is not null)
            context.Settings.Urls = urls;
        if (allowInsecurePublic)
            context.Settings.AllowInsecurePublic = true;
        var problems = context.Settings.Problems();
        if (problems.Count > 0)
        {
            foreach (var p in problems)
                context.Error.WriteLine($"analytics: {p}");
            return ExitCodes.Usage;
        }
        var path = parse.GetValue(GlobalOptions.Db) ?? context.Settings.Database;
        // Open before the host starts so that a held or foreign file fails fast with a clear message.
        EventStore opened;
        try
        {
            opened = EventStore.Open(path, context.Settings.MemoryLimit, create: true);
        }
        catch (StoreUnavailableException ex)
        {
            context.Error.WriteLine($"analytics: {ex.Message}");
            return ExitCodes.StoreUnavailable;
        }
        using var store = new SharedStore(opened);
        await using var app = WorkerHost.Build(context.Configuration, store, context.Time, s =>
        {
            s.Database = store.Path;
            if (inbox is not null)
                s.Inbox = inbox;
            if (urls is not null)
                s.Urls = urls;
            if (allowInsecurePublic)
                s.AllowInsecurePublic = true;
        });
        return await WorkerHost.RunAsync(app, cancellationToken);
    }
}
