using Analytics.Application.Notifications;
using Analytics.Application.Profiles;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Storage;
using Analytics.Storage.Ingestion;
using Analytics.Storage.Profiles;

namespace Analytics.Application.Ingestion;

/// <summary>
/// Loads event-log files, one transaction each; with <c>AcceptProfile</c> a profile is proposed from the log and
/// accepted. In the worker, the first file loaded into a store without a profile gets a suggestion (waiting for a
/// person), and every loaded file is followed by the SPC monitor and the routing of the orders that reached the
/// decision point in it, with the store held throughout.
/// </summary>
public sealed class IngestService(IStoreAccess store, TimeProvider time, SpcService spc, RoutingService routing)
{
    /// <summary>Loads files.</summary>
    /// <param name="request">The files and options.</param>
    /// <param name="progress">A progress sink per file, or null.</param>
    /// <param name="cancellationToken">Stops the load; nothing of the file in progress is stored.</param>
    public Task<Result<IngestSummary>> IngestAsync(IngestRequest request, Func<string, IProgress<IngestProgress>?>? progress, CancellationToken cancellationToken) =>
        UseCase.RunAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(request);
            if (request.Paths.Count == 0)
                throw RequestException.Invalid("ingest needs at least one file: analytics ingest FILE... [--mapping FILE]");
            var options = Options(request.MaxBadRowRatio, request.Limits);
            var mapping = request.MappingPath is null ? null : LoadMapping(request.MappingPath);
            return await store.RunAsync(async s =>
            {
                var hadProfile = new ProfileStore(s).Accepted() is not null || new ProfileStore(s).PendingSuggestion() is not null;
                var loader = new EventLogLoader(s, options, time);
                var results = new List<FileImportResult>();
                foreach (var path in request.Paths)
                {
                    var sink = progress?.Invoke(path);
                    try
                    {
                        results.Add(await loader.LoadAsync(path, mapping, sink, cancellationToken));
                    }
                    finally
                    {
                        (sink as IDisposable)?.Dispose();
                    }
                }
                // With --accept the profile is proposed from the log and accepted now; otherwise the load stays a load
                // (its time is the file's), and the summary says how to get a profile.
                ProfileVersion? suggested = null;
                var notes = new List<string>();
                if (request.AcceptProfile && results.Any(r => r.Status != ImportStatus.Rejected))
                    suggested = new ProfileStore(s).PendingSuggestion() is not null && hadProfile
                        ? (await new ProfileService(new HeldStore(s), time).AcceptAsync(null, cancellationToken)).Value
                        : await Suggest(s, accept: true, cancellationToken);
                else if (!hadProfile && results.Any(r => r.Status == ImportStatus.Loaded))
                    notes.Add("No process profile is known for this store yet: 'analytics profile suggest' proposes one from the log with its evidence (or load with --accept to accept the proposal at once).");
                return new IngestSummary(results, suggested) { Notes = notes };
            }, cancellationToken);
        });

    /// <summary>
    /// Loads one file dropped in the worker's inbox and, when it loaded, runs the monitor and routes the orders that
    /// reached the decision point in it, all with the store held, so API calls see a consistent state.
    /// </summary>
    public Task<InboxLoad> LoadInboxFileAsync(string path, ColumnMapping? mapping, double maxBadRowRatio, IngestLimits limits, CancellationToken cancellationToken) =>
        store.RunAsync(async s =>
        {
            var hadProfile = new ProfileStore(s).Accepted() is not null || new ProfileStore(s).PendingSuggestion() is not null;
            // The load records the follow-up it owes in its own transaction; a kill before the follow-up is done
            // leaves it for ResumeAsync at the next start.
            var result = await new EventLogLoader(s, Options(maxBadRowRatio, limits) with { RecordFollowUp = true }, time).LoadAsync(path, mapping, null, cancellationToken);
            if (result.Status != ImportStatus.Loaded)
                return new InboxLoad(result, null, 0, null);
            var suggested = hadProfile ? null : await Suggest(s, accept: false, cancellationToken);
            var (monitor, routed) = FollowUp(s, result.FileId!.Value, cancellationToken);
            return new InboxLoad(result, monitor, routed, suggested);
        }, cancellationToken);

    /// <summary>
    /// Does the follow-up owed by files loaded and not yet followed up (events posted to the API, or loads before a
    /// kill): per file the node-change notices and the routing of its orders, then the SPC monitor once for them all;
    /// each step idempotent, the files marked done last.
    /// </summary>
    /// <returns>The files followed up, with what their follow-up did.</returns>
    public Task<IReadOnlyList<(int FileId, MonitorRun Monitor, int Routed)>> ResumeAsync(CancellationToken cancellationToken) =>
        store.RunAsync(s =>
        {
            var owed = new PendingFollowUps(s).Owed();
            if (owed.Count == 0)
                return (IReadOnlyList<(int, MonitorRun, int)>)[];
            var profile = ProfileService.Current(s);
            var routed = owed.Select(fileId => Tell(s, profile, fileId)).ToList();
            var monitor = spc.Monitor(s, profile, cancellationToken);
            foreach (var fileId in owed)
                new PendingFollowUps(s).Done(fileId);
            return (IReadOnlyList<(int, MonitorRun, int)>)owed.Select((fileId, i) => (fileId, monitor, routed[i])).ToList();
        }, cancellationToken);

    /// <summary>
    /// Loads events posted to the API (a JSON Lines file written from the request's body) in one transaction, with the
    /// same mapping, validation and quarantine as a file, and records the follow-up it owes in that transaction; the
    /// worker's follow-up runner does it (<see cref="ResumeAsync"/>), so the request is answered once the events are stored.
    /// </summary>
    public Task<FileImportResult> LoadPostedAsync(string path, ColumnMapping? mapping, double maxBadRowRatio, IngestLimits limits, CancellationToken cancellationToken) =>
        store.RunAsync(s => new EventLogLoader(s, Options(maxBadRowRatio, limits) with { RecordFollowUp = true }, time).LoadAsync(path, mapping, null, cancellationToken), cancellationToken);

    /// <summary>Node-change notices first (people wait for them), then the SPC monitor and the routing of the file's orders, then the file's follow-up marked done; safe to repeat.</summary>
    private (MonitorRun Monitor, int Routed) FollowUp(EventStore s, int fileId, CancellationToken cancellationToken)
    {
        var profile = ProfileService.Current(s);
        var routed = Tell(s, profile, fileId);
        var monitor = spc.Monitor(s, profile, cancellationToken);
        new PendingFollowUps(s).Done(fileId);
        return (monitor, routed);
    }

    /// <summary>The node-change notices of a file's events and the routing of its orders at the decision point.</summary>
    private int Tell(EventStore s, ActiveProfile profile, int fileId)
    {
        NodeChangeService.Notify(s, profile, fileId, time.GetUtcNow());
        return routing.RouteFile(s, fileId);
    }

    private async Task<ProfileVersion?> Suggest(EventStore s, bool accept, CancellationToken cancellationToken)
    {
        var profiles = new ProfileService(new HeldStore(s), time);
        var suggestion = await profiles.SuggestAsync(cancellationToken);
        if (!suggestion.Succeeded)
            return null;
        return accept ? (await profiles.AcceptAsync(suggestion.Value!.Version, cancellationToken)).Value : suggestion.Value;
    }

    private static IngestOptions Options(double? maxBadRowRatio, IngestLimits? limits)
    {
        var options = new IngestOptions { Limits = limits ?? new IngestLimits() };
        if (maxBadRowRatio is { } ratio)
        {
            if (!(ratio >= 0 && ratio <= 1))
                throw RequestException.Invalid($"--max-bad-ratio {ratio}: give a share of bad rows from 0 to 1 (e.g. 0.05)");
            options = options with { MaxBadRowRatio = ratio };
        }
        return options;
    }

    private static ColumnMapping LoadMapping(string path)
    {
        if (Directory.Exists(path))
            throw RequestException.Invalid($"--mapping: {path} is a folder; give the mapping's JSON file");
        try
        {
            return ColumnMapping.Load(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw RequestException.Invalid("--mapping: " + ex.Message);
        }
    }
}

/// <summary>Files to load.</summary>
/// <param name="Paths">The files.</param>
/// <param name="MappingPath">A column mapping for tabular files, or null (then <c>NAME.mapping.json</c> beside each file, or the defaults).</param>
/// <param name="MaxBadRowRatio">Above this share of bad rows a file is refused; null for the default (0.05).</param>
/// <param name="AcceptProfile">Accept the profile suggested after the first load (or a waiting suggestion) at once.</param>
/// <param name="Limits">Bounds on what one file may cost; null for the defaults.</param>
public sealed record IngestRequest(IReadOnlyList<string> Paths, string? MappingPath = null, double? MaxBadRowRatio = null, bool AcceptProfile = false, IngestLimits? Limits = null);

/// <summary>What an ingest did.</summary>
/// <param name="Files">Per file, how its load ended.</param>
/// <param name="Profile">The profile suggested and accepted with <c>--accept</c>, or null.</param>
public sealed record IngestSummary(IReadOnlyList<FileImportResult> Files, ProfileVersion? Profile)
{
    /// <summary>What the person may want to do next (e.g. get a process profile).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Events added.</summary>
    public long Events => Files.Sum(f => f.Events);

    /// <summary>Cases added.</summary>
    public long Cases => Files.Sum(f => f.Cases);

    /// <summary>Rows quarantined.</summary>
    public long Quarantined => Files.Sum(f => f.Quarantined);
}

/// <summary>A file loaded by the worker, with its follow-up.</summary>
/// <param name="Result">How the load ended.</param>
/// <param name="Monitor">The SPC monitor's run after it, or null when nothing loaded.</param>
/// <param name="Routed">Orders routed at the decision point.</param>
/// <param name="Suggested">The profile suggested after the store's first load, or null.</param>
public sealed record InboxLoad(FileImportResult Result, MonitorRun? Monitor, int Routed, ProfileVersion? Suggested);

/// <summary>How people and JSON name the outcome of a file's load.</summary>
public static class ImportStatusName
{
    /// <summary>loaded, skipped-duplicate or rejected.</summary>
    public static string Of(ImportStatus status) => status switch
    {
        ImportStatus.Loaded => "loaded",
        ImportStatus.SkippedDuplicate => "skipped-duplicate",
        _ => "rejected",
    };
}
