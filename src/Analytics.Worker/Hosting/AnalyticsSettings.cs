using Microsoft.Extensions.Configuration;

namespace Analytics.Worker.Hosting;

/// <summary>
/// The worker's settings, section "Analytics" of appsettings.json; each can be overridden by an environment variable
/// such as <c>Analytics__Database</c>, and <c>--db</c> overrides the database on the command line.
/// </summary>
internal sealed record AnalyticsSettings
{
    public string Database { get; init; } = "data/analytics.duckdb";

    public string MemoryLimit { get; init; } = "1GB";

    /// <summary>Folder watched for new log files; <c>archive/</c> and <c>rejected/</c> are created inside it.</summary>
    public string Inbox { get; init; } = "data/inbox";

    public double InboxPollSeconds { get; init; } = 2;

    public double MaxBadRowRatio { get; init; } = 0.05;

    /// <summary>Webhook for notifications (a WeCom group robot URL, or any endpoint taking JSON); none keeps them in the outbox.</summary>
    public string? WebhookUrl { get; init; }

    public double WebhookPollSeconds { get; init; } = 1;

    /// <summary>The routing configuration the worker retrains with.</summary>
    public string? RoutingConfig { get; init; }

    /// <summary>Retrain when the active model is older than this many days; 0 turns scheduled retraining off.</summary>
    public double RetrainEveryDays { get; init; }

    /// <summary>Folder of the weekly reports (one sub-folder per ISO week).</summary>
    public string Reports { get; init; } = "data/reports";

    /// <summary>When the weekly report is made: day, local time and IANA zone (e.g. Monday 08:00 Asia/Shanghai); empty day turns it off.</summary>
    public string? ReportDay { get; init; } = "Monday";

    public string ReportTime { get; init; } = "08:00";

    public string ReportTimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Where the HTTP API listens; loopback only by default.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The key clients send in X-Api-Key; set it through the environment (Analytics__ApiKey), not in the file.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Charts the SPC monitor recomputes after each ingest; signals go to the spc_signals table.</summary>
    public List<Core.Spc.MonitoredChart> SpcCharts { get; init; } = [];

    public static AnalyticsSettings From(IConfiguration configuration) =>
        configuration.GetSection("Analytics").Get<AnalyticsSettings>() ?? new AnalyticsSettings();
}
