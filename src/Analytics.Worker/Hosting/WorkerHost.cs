using Analytics.Application;
using Analytics.Application.Ingestion;
using Analytics.Application.Models;
using Analytics.Application.Notifications;
using Analytics.Application.Prediction;
using Analytics.Application.Profiles;
using Analytics.Application.Reports;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Application.WhatIf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Worker.Hosting;

/// <summary>
/// The worker: the HTTP API on Kestrel and the background services (inbox watcher, outbox dispatcher, retrainer,
/// report schedule) over one shared store. <c>analytics serve</c> runs it; tests build it in process.
/// </summary>
internal static class WorkerHost
{
    /// <summary>The largest request body the API reads (1 MiB): orders and what-if requests are small.</summary>
    public const long MaxRequestBodyBytes = 1 << 20;

    /// <summary>Builds the worker over an open store.</summary>
    /// <param name="configuration">The configuration ("Analytics" section and logging).</param>
    /// <param name="store">The store, opened by the caller so that a held or missing database fails before the host starts.</param>
    /// <param name="time">The clock (a fake one in tests).</param>
    /// <param name="overrides">Settings from the command line (inbox, URLs), applied over the configuration.</param>
    public static WebApplication Build(IConfiguration configuration, SharedStore store, TimeProvider time, Action<AnalyticsSettings>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        var settings = AnalyticsSettings.From(builder.Configuration);
        overrides?.Invoke(settings);
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddAnalyticsWorker(builder.Configuration, store, time, overrides);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        ApiEndpoints.Map(app, app.Services.GetRequiredService<IOptions<AnalyticsSettings>>().Value);
        return app;
    }

    /// <summary>Registers the worker's settings (validated at start), the application services over the shared store, and the background services.</summary>
    public static IServiceCollection AddAnalyticsWorker(this IServiceCollection services, IConfiguration configuration, SharedStore store, TimeProvider time,
        Action<AnalyticsSettings>? overrides = null)
    {
        services.AddOptions<AnalyticsSettings>().Configure(s => s.Read(configuration)).PostConfigure(s => overrides?.Invoke(s)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AnalyticsSettings>, SettingsValidator>();
        services.AddSingleton(time);
        services.AddSingleton(store);
        services.AddSingleton<IStoreAccess>(store);
        services.AddSingleton<ProfileService>();
        services.AddSingleton<SpcService>();
        services.AddSingleton(sp => new RoutingService(sp.GetRequiredService<IStoreAccess>(), sp.GetRequiredService<TimeProvider>(),
            ex => sp.GetRequiredService<ILoggerFactory>().CreateLogger<RoutingService>().LogError(ex, "Routing suggestions could not be recorded")));
        services.AddSingleton<IngestService>();
        services.AddSingleton<Application.Mining.MiningService>();
        services.AddSingleton<ModelService>();
        services.AddSingleton<WeeklyReportService>();
        services.AddSingleton<WhatIfService>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<PredictionService>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // Every unexpected error carries an id that is in the log too.
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddSingleton<FollowUpRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<FollowUpRunner>());
        services.AddHostedService<InboxWatcher>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<Retrainer>();
        services.AddHostedService<ReportScheduler>();
        services.AddHostedService<SlaWatcher>();
        return services;
    }

    /// <summary>Runs the worker until it is stopped; a background service that dies makes the run fail.</summary>
    /// <returns>0 after an orderly stop; 1 when a background service failed.</returns>
    public static async Task<int> RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var settings = app.Services.GetRequiredService<IOptions<AnalyticsSettings>>().Value;
        if (string.IsNullOrEmpty(settings.ApiKey))
            app.Logger.LogWarning("No API key is configured (Analytics__ApiKey): the HTTP API on {Urls} refuses every request but /api/health", settings.Urls);
        foreach (var url in settings.InsecurePublicUrls())
            app.Logger.LogWarning("The HTTP API listens on {Url} beyond this machine over plain HTTP (allowed by AllowInsecurePublic): the API key and the data cross the network in clear", url);
        await app.Services.GetRequiredService<RoutingService>().RefreshAsync(cancellationToken);
        // Taken before the run, which disposes the host when it ends.
        var services = app.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        var logger = app.Logger;
        await app.RunAsync(cancellationToken);
        var failed = services.Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
        foreach (var s in failed)
            logger.LogCritical(s.ExecuteTask!.Exception, "{Service} failed and stopped the worker", s.GetType().Name);
        return failed.Count == 0 ? 0 : 1;
    }

    private sealed class SettingsValidator : IValidateOptions<AnalyticsSettings>
    {
        public ValidateOptionsResult Validate(string? name, AnalyticsSettings options)
        {
            var problems = options.Problems();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
