using Analytics.Storage;
using Analytics.Storage.Ingestion;
using Analytics.Storage.Spc;
using Analytics.Worker.Cli;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Watches the inbox folder and loads each log file dropped there, then moves it to <c>archive/</c> (loaded or
/// already loaded) or <c>rejected/</c> with a <c>.reason.txt</c> beside it. A file is taken once it has not changed
/// for a second, so a copy in progress is not read half-written; names starting with '.' or ending in .part/.tmp are
/// ignored. A CSV, Parquet or JSON Lines file uses <c>NAME.mapping.json</c> beside it, else <c>mapping.json</c> in the inbox.
/// </summary>
internal sealed class InboxWatcher(StoreGate gate, RoutingService routing, AnalyticsSettings settings, TimeProvider time, ILogger<InboxWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inbox = Path.GetFullPath(settings.Inbox);
        Directory.CreateDirectory(inbox);
        logger.LogInformation("Watching {Inbox} for event logs; database {Database}", inbox, gate.Path);
        var options = new IngestOptions { MaxBadRowRatio = settings.MaxBadRowRatio };
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, settings.InboxPollSeconds)), time);
        do
        {
            foreach (var file in ReadyFiles(inbox))
            {
                if (stoppingToken.IsCancellationRequested)
                    break;
                await HandleAsync(options, inbox, file, stoppingToken);
            }
        }
        while (await Ticks.NextAsync(timer, stoppingToken));
    }

    private List<FileInfo> ReadyFiles(string inbox) =>
        new DirectoryInfo(inbox).EnumerateFiles()
            .Where(f => !f.Name.StartsWith('.') && !f.Name.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
                        && !f.Name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
                        && !f.Name.EndsWith(".mapping.json", StringComparison.OrdinalIgnoreCase)
                        && !f.Name.Equals("mapping.json", StringComparison.OrdinalIgnoreCase)
                        && !f.Name.EndsWith(".reason.txt", StringComparison.OrdinalIgnoreCase)
                        && time.GetUtcNow() - f.LastWriteTimeUtc > Settle)
            .OrderBy(f => f.LastWriteTimeUtc)
            .ToList();

    private async Task HandleAsync(IngestOptions options, string inbox, FileInfo file, CancellationToken cancellationToken)
    {
        FileImportResult result;
        try
        {
            var mapping = ColumnMapping.ForFile(file.FullName);
            var shared = Path.Combine(inbox, "mapping.json");
            if (mapping is null && File.Exists(shared))
                mapping = ColumnMapping.Load(shared);
            // The load, the monitor and the routing refresh hold the store together, so API calls wait for a consistent state.
            result = await gate.RunAsync(async store =>
            {
                var loaded = await new EventLogLoader(store, options, time).LoadAsync(file.FullName, mapping, null, cancellationToken);
                if (loaded.Status == ImportStatus.Loaded)
                {
                    RunMonitor(store, cancellationToken);
                    routing.Refresh(store);
                    var scored = routing.ScoreFile(store, loaded.FileId!.Value);
                    if (scored > 0)
                        logger.LogInformation("Routing suggestions for {Count} orders at the decision point queued for approvers", scored);
                }
                return loaded;
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // stopping: the file stays in the inbox and is loaded on the next start
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            result = FileImportResult.Rejected(file.FullName, $"{file.Name}: {ex.Message}");
        }
        var target = result.Status == ImportStatus.Rejected ? "rejected" : "archive";
        var sidecar = Path.Combine(inbox, Path.GetFileNameWithoutExtension(file.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFileNameWithoutExtension(file.Name) : file.Name) + ".mapping.json");
        var moved = MoveInto(file, Path.Combine(inbox, target));
        if (result.Status == ImportStatus.Rejected)
        {
            await File.WriteAllTextAsync(moved + ".reason.txt", result.Reason + Environment.NewLine, cancellationToken);
            logger.LogWarning("Rejected {File}: {Reason}", file.Name, result.Reason);
        }
        else
        {
            logger.LogInformation("{Status} {File}: {Events} events, {Cases} cases, {Quarantined} quarantined, {Overlapping} already stored",
                IngestVerb.Status(result.Status), file.Name, result.Events, result.Cases, result.Quarantined, result.Overlapping);
        }
        if (File.Exists(sidecar))
            MoveInto(new FileInfo(sidecar), Path.Combine(inbox, target));
    }

    /// <summary>
    /// Recomputes the monitored charts on this thread, which owns the store, so nothing else touches the connection.
    /// A failure is logged and the watcher carries on.
    /// </summary>
    private void RunMonitor(EventStore store, CancellationToken cancellationToken)
    {
        if (settings.SpcCharts.Count == 0)
            return;
        try
        {
            var (signals, skipped) = new SpcMonitor(store, time).Run(settings.SpcCharts, CalendarOption.Resolve, cancellationToken);
            foreach (var s in signals)
                logger.LogInformation("SPC signal on {Chart} at {Point}: {Meaning}", s.ChartKey, s.Point, s.Meaning);
            foreach (var reason in skipped)
                logger.LogDebug("SPC chart skipped: {Reason}", reason);
        }
        catch (Exception ex) when (ex is DuckDB.NET.Data.DuckDBException or UsageException or FormatException)
        {
            logger.LogError(ex, "SPC monitor failed; ingestion goes on");
        }
    }

    /// <summary>Moves a file into a folder, adding a time suffix if the name is taken there.</summary>
    private string MoveInto(FileInfo file, string folder)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, file.Name);
        if (File.Exists(target))
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file.Name)}.{time.GetUtcNow():yyyyMMddTHHmmssfff}{Path.GetExtension(file.Name)}");
        file.MoveTo(target);
        return target;
    }
}
