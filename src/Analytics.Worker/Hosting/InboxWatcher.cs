using Analytics.Application;
using Analytics.Application.Profiles;
using Analytics.Application.Ingestion;
using Analytics.Storage.Ingestion;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Watches the inbox folder and loads each log file dropped there, then moves it to <c>archive/</c> (loaded or
/// already loaded) or <c>rejected/</c> with a <c>.reason.txt</c> beside it. A file is taken once its size and time
/// have stayed the same for <c>Analytics:InboxSettleSeconds</c> across two looks, so a copy in progress is not read
/// half-written (and the loader refuses a file that changes while it reads it); names starting with '.' or ending in
/// .part/.tmp are ignored. Only regular files are taken: a link that leads out of the inbox, a pipe or a device is
/// rejected with its reason. A CSV, Parquet or JSON Lines file uses <c>NAME.mapping.json</c> beside it, else <c>mapping.json</c> in the
/// inbox. A loaded file is followed by the SPC monitor and the routing of its orders (<see cref="IngestService"/>).
/// </summary>
internal sealed class InboxWatcher(IngestService ingest, IOptions<AnalyticsSettings> options, TimeProvider time, ILogger<InboxWatcher> logger) : BackgroundService
{
    /// <summary>Size and time of each candidate when first seen unchanged, by path.</summary>
    private readonly Dictionary<string, (long Length, DateTime Written, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var inbox = Path.GetFullPath(settings.Inbox);
        Directory.CreateDirectory(inbox);
        logger.LogInformation("Watching {Inbox} for event logs", inbox);
        // Follow-up work owed by loads before a kill: done first, once.
        using (SharedStore.Doing("resuming follow-up work of an interrupted run"))
        foreach (var (fileId, monitor, routed) in await ingest.ResumeAsync(stoppingToken))
            logger.LogWarning("Resumed the follow-up of file {FileId} left by an interrupted run: {Signals} new SPC signals, {Routed} orders routed",
                fileId, monitor.NewSignals.Count, routed);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.InboxPollSeconds), time);
        var failures = 0;
        do
        {
            try
            {
                Directory.CreateDirectory(inbox);
                foreach (var file in ReadyFiles(inbox, settings.InboxSettleSeconds))
                {
                    if (stoppingToken.IsCancellationRequested)
                        break;
                    await HandleAsync(settings, inbox, file, stoppingToken);
                }
                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The loop's boundary (the inbox unreadable, a move that failed): log, back off, carry on.
                failures++;
                logger.LogError(ex, "Watching {Inbox} failed ({Failures} in a row); retrying", inbox, failures);
                await Ticks.DelayAsync(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures))), time, stoppingToken);
            }
        }
        while (await Ticks.NextAsync(timer, stoppingToken));
    }

    private List<FileInfo> ReadyFiles(string inbox, double settleSeconds)
    {
        var now = time.GetUtcNow();
        var candidates = new DirectoryInfo(inbox).EnumerateFiles()
            .Where(f => !f.Name.StartsWith('.') && !f.Name.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
                        && !f.Name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
                        && !f.Name.EndsWith(".mapping.json", StringComparison.OrdinalIgnoreCase)
                        && !f.Name.Equals("mapping.json", StringComparison.OrdinalIgnoreCase)
                        && !f.Name.EndsWith(".reason.txt", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var ready = new List<FileInfo>();
        foreach (var f in candidates)
        {
            // Settled: the same size and time as when first seen so, at least the settle time ago (and written that long ago).
            if (_seen.TryGetValue(f.FullName, out var seen) && seen.Length == f.Length && seen.Written == f.LastWriteTimeUtc)
            {
                if ((now - seen.Since).TotalSeconds >= settleSeconds && (now - f.LastWriteTimeUtc).TotalSeconds >= settleSeconds)
                    ready.Add(f);
            }
            else
                _seen[f.FullName] = (f.Length, f.LastWriteTimeUtc, now);
        }
        foreach (var gone in _seen.Keys.Where(k => candidates.All(c => c.FullName != k)).ToList())
            _seen.Remove(gone);
        return ready.OrderBy(f => f.LastWriteTimeUtc).ToList();
    }

    private async Task HandleAsync(AnalyticsSettings settings, string inbox, FileInfo file, CancellationToken cancellationToken)
    {
        FileImportResult result;
        try
        {
            // A link may point anywhere: only to a file inside the inbox is it taken.
            if (file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is { } linked
                && !Path.GetFullPath(linked.FullName).StartsWith(inbox + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"is a link to {linked.FullName}, outside the inbox; copy the file in instead");
            var mapping = ColumnMapping.ForFile(file.FullName);
            var shared = Path.Combine(inbox, "mapping.json");
            if (mapping is null && File.Exists(shared))
                mapping = ColumnMapping.Load(shared);
            using var doing = SharedStore.Doing($"loading {file.Name} from the inbox");
            var load = await ingest.LoadInboxFileAsync(file.FullName, mapping, settings.MaxBadRowRatio, settings.Limits, cancellationToken);
            result = load.Result;
            if (load.Monitor is { } monitor)
            {
                foreach (var s in monitor.NewSignals)
                    logger.LogInformation("SPC signal on {Chart} at {Point}: {Meaning}", s.ChartKey, s.Point, s.Meaning);
                foreach (var reason in monitor.Skipped)
                    logger.LogDebug("SPC chart skipped: {Reason}", reason);
            }
            if (load.Routed > 0)
                logger.LogInformation("Routing suggestions for {Count} orders at the decision point recorded and queued", load.Routed);
            if (load.Suggested is { } p)
                logger.LogWarning("No process profile was accepted for this store: one was suggested (v{Version}: {Profile}); review it with 'analytics profile show' and apply it with 'analytics profile accept'",
                    p.Version, ProfileText.Brief(p.Profile));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // stopping: the file stays in the inbox and is loaded on the next start
        }
        catch (Exception ex)
        {
            // The file's boundary: whatever went wrong with it, it is rejected with the reason and the worker goes on.
            logger.LogError(ex, "Loading {File} failed", file.Name);
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
                ImportStatusName.Of(result.Status), file.Name, result.Events, result.Cases, result.Quarantined, result.Overlapping);
        }
        if (File.Exists(sidecar))
            MoveInto(new FileInfo(sidecar), Path.Combine(inbox, target));
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
