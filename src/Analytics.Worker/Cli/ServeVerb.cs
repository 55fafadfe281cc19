using Analytics.Storage;
using Analytics.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics serve</c> (the default): runs the background worker, which owns the database while it runs.
/// </summary>
internal static class ServeVerb
{
    public static async Task<int> RunAsync(CommandLine line, VerbContext context, IConfiguration configuration, CancellationToken cancellationToken)
    {
        line.Allow("inbox");
        var settings = context.Settings with { Inbox = line.Option("inbox") ?? context.Settings.Inbox };
        // Open before the host starts so that a held database fails fast with a clear message.
        var store = context.OpenStore();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, DisableDefaults = false });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(context.Time);
        builder.Services.AddHostedService<InboxWatcher>();
        using var host = builder.Build();
        await host.RunAsync(cancellationToken);
        return ExitCodes.Ok;
    }
}
