using Analytics.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics serve</c> (the default): runs the background worker — inbox watcher, SPC monitor, routing — and the
/// HTTP API; it owns the database while it runs.
/// </summary>
internal static class ServeVerb
{
    public static async Task<int> RunAsync(CommandLine line, VerbContext context, IConfiguration configuration, CancellationToken cancellationToken)
    {
        line.Allow("inbox", "urls");
        var settings = context.Settings with { Inbox = line.Option("inbox") ?? context.Settings.Inbox, Urls = line.Option("urls") ?? context.Settings.Urls };
        // Open before the host starts so that a held database fails fast with a clear message.
        var gate = new StoreGate(context.OpenStore());
        var routing = new RoutingService(context.Time);
        await gate.RunAsync(store =>
        {
            routing.Refresh(store);
            return 0;
        }, cancellationToken);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(settings.Urls);
        builder.Services.AddSingleton(gate);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(context.Time);
        builder.Services.AddSingleton(routing);
        builder.Services.AddProblemDetails();
        builder.Services.AddHostedService<InboxWatcher>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHostedService<Retrainer>();
        builder.Services.AddHostedService<ReportScheduler>();
        await using var app = builder.Build();
        ApiEndpoints.Map(app, settings);
        if (string.IsNullOrEmpty(settings.ApiKey))
            app.Logger.LogWarning("No API key is configured (Analytics__ApiKey): the HTTP API on {Urls} refuses every request but /api/health", settings.Urls);
        await app.RunAsync(cancellationToken);
        return ExitCodes.Ok;
    }
}
