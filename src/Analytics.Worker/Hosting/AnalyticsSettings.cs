using System.Text.RegularExpressions;

namespace Analytics.Worker.Hosting;

/// <summary>
/// The worker's settings, section "Analytics" of appsettings.json; each can be overridden by an environment variable
/// such as <c>Analytics__Database</c>, and <c>--db</c> overrides the database on the command line. What the process is
/// (calendar, SLA, report schedule, monitored charts, routing decision) lives in the store's process profile, not here.
/// </summary>
internal sealed partial class AnalyticsSettings
{
    public string Database { get; set; } = "data/analytics.duckdb";

    public string MemoryLimit { get; set; } = "1GB";

    /// <summary>Folder watched for new log files; <c>archive/</c> and <c>rejected/</c> are created inside it.</summary>
    public string Inbox { get; set; } = "data/inbox";

    public double InboxPollSeconds { get; set; } = 2;

    public double MaxBadRowRatio { get; set; } = 0.05;

    /// <summary>Longest XML element of an XES file, bytes (64 MiB).</summary>
    public long MaxElementBytes { get; set; } = 64L << 20;

    /// <summary>Longest JSON Lines line or CSV record, bytes (64 MiB).</summary>
    public long MaxLineBytes { get; set; } = 64L << 20;

    /// <summary>Most bytes a compressed file may expand to (64 GiB).</summary>
    public long MaxDecompressedBytes { get; set; } = 64L << 30;

    /// <summary>Largest decompression ratio (200): a gzip of zeros is refused before it fills the disk.</summary>
    public double MaxCompressionRatio { get; set; } = 200;

    /// <summary>Most bytes of temporary copy one file may write (64 GiB); the temp folder's disk also keeps 1 GiB free.</summary>
    public long MaxTempBytes { get; set; } = 64L << 30;

    /// <summary>Longest a file may take to load, seconds (3600); 0 for no bound.</summary>
    public double MaxSecondsPerFile { get; set; } = 3600;

    /// <summary>How long a file in the inbox must keep its size and time before it is taken, seconds.</summary>
    public double InboxSettleSeconds { get; set; } = 2;

    /// <summary>How long an API request waits for the store held by other work (a load), seconds, before it answers 503.</summary>
    public double ApiWaitSeconds { get; set; } = 20;

    /// <summary>Listen on a non-loopback address over plain HTTP (the API key then crosses the network in clear).</summary>
    public bool AllowInsecurePublic { get; set; }

    /// <summary>The bounds on what one file may cost, for the loader.</summary>
    public Analytics.Storage.Ingestion.IngestLimits Limits => new()
    {
        MaxElementBytes = MaxElementBytes,
        MaxLineBytes = MaxLineBytes,
        MaxDecompressedBytes = MaxDecompressedBytes,
        MaxCompressionRatio = MaxCompressionRatio,
        MaxTempBytes = MaxTempBytes,
        MaxSecondsPerFile = MaxSecondsPerFile,
    };

    /// <summary>Folder where the bodies of <c>POST /api/events</c> are kept (one JSON Lines file per request, by day), as the inbox keeps its files.</summary>
    public string Posted { get; set; } = "data/posted";

    /// <summary>The largest body <c>POST /api/events</c> takes (413 above it; send larger logs in batches or through the inbox).</summary>
    public long MaxPostBytes { get; set; } = 16L << 20;

    /// <summary>Minutes between the checks of open cases for SLA early warnings; 0 turns them off.</summary>
    public double SlaCheckMinutes { get; set; } = 15;

    /// <summary>Webhook for notifications (a WeCom group robot URL, or any endpoint taking JSON); none keeps them in the outbox.</summary>
    public string? WebhookUrl { get; set; }

    public double WebhookPollSeconds { get; set; } = 1;

    /// <summary>Retrain when the active model is older than this many days (on the profile's routing decision); 0 turns scheduled retraining off.</summary>
    public double RetrainEveryDays { get; set; }

    /// <summary>Folder of the weekly reports (one sub-folder per ISO week); when they are written is the profile's report schedule.</summary>
    public string Reports { get; set; } = "data/reports";

    /// <summary>Where the HTTP API listens; loopback only by default.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The key clients send in X-Api-Key; set it through the environment (Analytics__ApiKey), not in the file.</summary>
    public string? ApiKey { get; set; }

    private readonly List<string> _readProblems = [];

    /// <summary>The settings of a configuration (section "Analytics").</summary>
    public static AnalyticsSettings From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var settings = new AnalyticsSettings();
        settings.Read(configuration);
        return settings;
    }

    /// <summary>
    /// Reads the section "Analytics" over the current values, key by key (cheaper at start-up than the reflection
    /// binder, which a one-shot verb would pay for on every run); a value that is not of its type is kept as a problem.
    /// </summary>
    public void Read(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Analytics");
        string? Text(string key) => section[key];
        double Number(string key, double current)
        {
            if (section[key] is not { } text)
                return current;
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
                return value;
            _readProblems.Add($"Analytics:{key} '{text}' is not a number");
            return current;
        }
        Database = Text(nameof(Database)) ?? Database;
        MemoryLimit = Text(nameof(MemoryLimit)) ?? MemoryLimit;
        Inbox = Text(nameof(Inbox)) ?? Inbox;
        InboxPollSeconds = Number(nameof(InboxPollSeconds), InboxPollSeconds);
        MaxBadRowRatio = Number(nameof(MaxBadRowRatio), MaxBadRowRatio);
        MaxElementBytes = (long)Number(nameof(MaxElementBytes), MaxElementBytes);
        MaxLineBytes = (long)Number(nameof(MaxLineBytes), MaxLineBytes);
        MaxDecompressedBytes = (long)Number(nameof(MaxDecompressedBytes), MaxDecompressedBytes);
        MaxCompressionRatio = Number(nameof(MaxCompressionRatio), MaxCompressionRatio);
        MaxTempBytes = (long)Number(nameof(MaxTempBytes), MaxTempBytes);
        MaxSecondsPerFile = Number(nameof(MaxSecondsPerFile), MaxSecondsPerFile);
        InboxSettleSeconds = Number(nameof(InboxSettleSeconds), InboxSettleSeconds);
        ApiWaitSeconds = Number(nameof(ApiWaitSeconds), ApiWaitSeconds);
        if (section[nameof(AllowInsecurePublic)] is { } insecure)
        {
            if (bool.TryParse(insecure, out var yes))
                AllowInsecurePublic = yes;
            else
                _readProblems.Add($"Analytics:AllowInsecurePublic '{insecure}' is not true or false");
        }
        Posted = Text(nameof(Posted)) ?? Posted;
        SlaCheckMinutes = Number(nameof(SlaCheckMinutes), SlaCheckMinutes);
        MaxPostBytes = (long)Number(nameof(MaxPostBytes), MaxPostBytes);
        WebhookUrl = Text(nameof(WebhookUrl)) ?? WebhookUrl;
        WebhookPollSeconds = Number(nameof(WebhookPollSeconds), WebhookPollSeconds);
        RetrainEveryDays = Number(nameof(RetrainEveryDays), RetrainEveryDays);
        Reports = Text(nameof(Reports)) ?? Reports;
        Urls = Text(nameof(Urls)) ?? Urls;
        ApiKey = Text(nameof(ApiKey)) ?? ApiKey;
    }

    /// <summary>The problems of these settings, each naming the setting and how to fix it; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(_readProblems);
        if (string.IsNullOrWhiteSpace(Database))
            problems.Add("Analytics:Database is empty: give the database file's path");
        if (!MemoryLimitPattern().IsMatch(MemoryLimit))
            problems.Add($"Analytics:MemoryLimit '{MemoryLimit}' is not a size such as 512MB or 2GB");
        if (string.IsNullOrWhiteSpace(Inbox))
            problems.Add("Analytics:Inbox is empty: give the folder to watch");
        if (!(InboxPollSeconds > 0 && InboxPollSeconds <= 3600))
            problems.Add($"Analytics:InboxPollSeconds {InboxPollSeconds} must lie in (0, 3600]");
        if (!(MaxPostBytes > 0))
            problems.Add($"Analytics:MaxPostBytes {MaxPostBytes} must be a positive number of bytes (default 16777216)");
        if (!(SlaCheckMinutes >= 0 && SlaCheckMinutes <= 1440))
            problems.Add($"Analytics:SlaCheckMinutes {SlaCheckMinutes} must lie in [0, 1440] (0 turns the SLA early warnings off)");
        if (string.IsNullOrWhiteSpace(Posted))
            problems.Add("Analytics:Posted is empty: give the folder where the bodies of POST /api/events are kept");
        if (!(WebhookPollSeconds > 0 && WebhookPollSeconds <= 3600))
            problems.Add($"Analytics:WebhookPollSeconds {WebhookPollSeconds} must lie in (0, 3600]");
        if (!(MaxBadRowRatio >= 0 && MaxBadRowRatio <= 1))
            problems.Add($"Analytics:MaxBadRowRatio {MaxBadRowRatio} must lie in [0, 1]");
        if (MaxElementBytes < 1024 || MaxLineBytes < 1024 || MaxDecompressedBytes < 1024 || MaxTempBytes < 1024)
            problems.Add("Analytics:MaxElementBytes, MaxLineBytes, MaxDecompressedBytes and MaxTempBytes must be at least 1024 bytes");
        if (!(MaxCompressionRatio >= 2 && double.IsFinite(MaxCompressionRatio)))
            problems.Add($"Analytics:MaxCompressionRatio {MaxCompressionRatio} must be a number of at least 2");
        if (!(MaxSecondsPerFile >= 0 && double.IsFinite(MaxSecondsPerFile)))
            problems.Add($"Analytics:MaxSecondsPerFile {MaxSecondsPerFile} must be 0 (no bound) or a positive number of seconds");
        if (!(InboxSettleSeconds >= 0 && InboxSettleSeconds <= 3600))
            problems.Add($"Analytics:InboxSettleSeconds {InboxSettleSeconds} must lie in [0, 3600]");
        if (!(ApiWaitSeconds > 0 && ApiWaitSeconds <= 3600))
            problems.Add($"Analytics:ApiWaitSeconds {ApiWaitSeconds} must lie in (0, 3600]");
        if (!(RetrainEveryDays >= 0 && double.IsFinite(RetrainEveryDays)))
            problems.Add($"Analytics:RetrainEveryDays {RetrainEveryDays} must be 0 (off) or a positive number of days");
        if (WebhookUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            problems.Add($"Analytics:WebhookUrl '{url}' is not an http(s) address");
        if (string.IsNullOrWhiteSpace(Urls))
            problems.Add("Analytics:Urls is empty: give the address to listen on, e.g. http://127.0.0.1:5080");
        else
            problems.AddRange(UrlProblems());
        return problems;
    }

    /// <summary>The addresses of <see cref="Urls"/> that listen beyond this machine over plain HTTP.</summary>
    public IReadOnlyList<string> InsecurePublicUrls() =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsLoopback(u))
            .ToList();

    private IEnumerable<string> UrlProblems()
    {
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var scheme = url.Split("://", 2)[0];
            if (!url.Contains("://", StringComparison.Ordinal) || !(scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)))
                yield return $"Analytics:Urls '{url}' is not an http:// or https:// address such as http://127.0.0.1:5080";
        }
        if (!AllowInsecurePublic)
            foreach (var url in InsecurePublicUrls())
                yield return $"--urls '{url}' listens beyond this machine over plain HTTP, so the API key and the data would cross the network in clear: " +
                    "listen on 127.0.0.1 behind a TLS proxy, or use an https:// address with a certificate configured for Kestrel, " +
                    "or, on a network you trust, pass --allow-insecure-public (Analytics:AllowInsecurePublic=true)";
    }

    /// <summary>Whether an http(s) address listens on this machine only (127.0.0.0/8, ::1, localhost).</summary>
    private static bool IsLoopback(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var end = rest.IndexOf('/');
        var authority = end < 0 ? rest : rest[..end];
        string host;
        if (authority.StartsWith('['))
            host = authority[1..Math.Max(1, authority.IndexOf(']'))];
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip);
    }

    [GeneratedRegex(@"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryLimitPattern();
}
