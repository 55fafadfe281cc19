using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Core.Calendars;
using Analytics.Core.Profiles;
using Analytics.Storage;
using Analytics.Storage.Profiles;

namespace Analytics.Application.Profiles;

/// <summary>
/// The store's process profile: suggest one from the log with its evidence, accept it, replace it with a person's
/// file, show it; and give every other use case the profile to run with.
/// </summary>
public sealed class ProfileService(IStoreAccess store, TimeProvider time)
{
    /// <summary>Cases sampled for a suggestion.</summary>
    public const int SampleCases = 5_000;

    private static readonly JsonSerializerOptions EvidenceJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EventStore, ActiveProfile> Cache = new();

    /// <summary>The profile analyses use now: the newest accepted version, or the defaults with notes.</summary>
    public Task<ActiveProfile> CurrentAsync(CancellationToken cancellationToken) => store.RunAsync(Current, cancellationToken);

    /// <summary>The profile of an open store (for use cases that already hold it).</summary>
    internal static ActiveProfile Current(EventStore store)
    {
        // Only one process can open a store, and every change of its profile goes through here: what was read stays
        // true until this process changes it (the worker asks on every request).
        if (Cache.TryGetValue(store, out var cached))
            return cached;
        var current = Read(store);
        Cache.AddOrUpdate(store, current);
        return current;
    }

    private static ActiveProfile Read(EventStore store)
    {
        var profiles = new ProfileStore(store);
        var accepted = profiles.Accepted();
        Core.Diagnostics.PhaseTrace.Mark("profile: read");
        if (accepted is not null)
        {
            var profile = ProcessProfile.Parse(accepted.ProfileJson, $"stored profile v{accepted.Version}");
            Core.Diagnostics.PhaseTrace.Mark("profile: parsed");
            return new ActiveProfile(profile, accepted.Version, profile.ResolveCalendar(), []);
        }
        var defaults = ProcessProfile.Default;
        var pending = profiles.PendingSuggestion();
        var notes = new List<string>
        {
            $"No process profile is accepted for this store: using the defaults (calendar {defaults.Calendar}, no side activities, no review node, no SLA).",
            pending is null
                ? "Propose one from the log with 'analytics profile suggest', then 'analytics profile accept'."
                : $"A suggested profile (v{pending.Version}) waits: read it with 'analytics profile show' and apply it with 'analytics profile accept'.",
        };
        return new ActiveProfile(defaults, null, defaults.ResolveCalendar(), notes);
    }

    /// <summary>The accepted profile, a waiting suggestion, and the one in use.</summary>
    public Task<Result<ProfileOverview>> ShowAsync(CancellationToken cancellationToken) => UseCase.RunAsync(() => store.RunAsync(s =>
    {
        var profiles = new ProfileStore(s);
        var current = Current(s);
        return new ProfileOverview(View(profiles.Accepted()), View(profiles.PendingSuggestion()), current.Profile);
    }, cancellationToken));

    /// <summary>Proposes a profile from the log and stores it as a suggestion (nothing is applied until it is accepted).</summary>
    public Task<Result<ProfileVersion>> SuggestAsync(CancellationToken cancellationToken) => UseCase.RunAsync(() => store.RunAsync(s =>
    {
        if (s.Statistics().Events == 0)
            throw RequestException.NotFound("the store holds no events: ingest a log first, then ask for a suggestion");
        var evidence = ProfileEvidenceReader.Read(s, SampleCases, cancellationToken);
        var suggestion = ProfileSuggester.Suggest(evidence, cancellationToken);
        var evidenceJson = JsonSerializer.Serialize(new { findings = suggestion.Evidence, calendars = suggestion.Calendars, sampledCases = evidence.Sample.Count, cases = evidence.Cases }, EvidenceJson);
        var version = new ProfileStore(s).Add(suggestion.Profile.ToJson(), evidenceJson, accepted: false, "suggest", time.GetUtcNow());
        Cache.Remove(s);
        return new ProfileVersion(version, false, "suggest", time.GetUtcNow(), suggestion.Profile, suggestion.Evidence, suggestion.Calendars);
    }, cancellationToken));

    /// <summary>Accepts a suggestion: the newest waiting one, or the given version.</summary>
    public Task<Result<ProfileVersion>> AcceptAsync(int? version, CancellationToken cancellationToken) => UseCase.RunAsync(() => store.RunAsync(s =>
    {
        var profiles = new ProfileStore(s);
        var chosen = version is { } v
            ? profiles.Version(v) ?? throw RequestException.NotFound($"there is no profile version {v}; 'analytics profile show' names the accepted version and any suggestion waiting")
            : profiles.PendingSuggestion() ?? throw RequestException.NotFound("no suggestion waits for acceptance; make one with 'analytics profile suggest'");
        Cache.Remove(s);
        if (!chosen.Accepted)
            profiles.Accept(chosen.Version, time.GetUtcNow());
        else if (profiles.Accepted()?.Version != chosen.Version)
            // An older accepted version becomes current again as a new version, so the history stays in order.
            profiles.Add(chosen.ProfileJson, chosen.EvidenceJson, accepted: true, $"accept of v{chosen.Version}", time.GetUtcNow());
        return View(profiles.Accepted())!;
    }, cancellationToken));

    /// <summary>Replaces the profile with a person's file (accepted at once: a person wrote it).</summary>
    /// <param name="path">The profile file (commented JSON); a calendar given as a file name is read relative to it and kept inline.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Result<ProfileVersion>> SetAsync(string path, CancellationToken cancellationToken) => UseCase.RunAsync(async () =>
    {
        var profile = await ReadFileAsync(path, cancellationToken);
        return await store.RunAsync(s =>
        {
            var profiles = new ProfileStore(s);
            profiles.Add(profile.ToJson(), null, accepted: true, $"set {Path.GetFileName(path)}", time.GetUtcNow());
            Cache.Remove(s);
            return View(profiles.Accepted())!;
        }, cancellationToken);
    });

    /// <summary>Reads a profile file; a calendar given by file name is read relative to the profile and kept inline.</summary>
    internal static async Task<ProcessProfile> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
            throw RequestException.Invalid($"{path} is a folder; give the profile's JSON file");
        if (!File.Exists(path))
            throw RequestException.Invalid($"{path}: no such file (write one with 'analytics profile show > profile.json' and edit it)");
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw RequestException.Invalid($"{path}: not valid JSON: {ex.Message}");
        }
        // A calendar named by file is read now and kept inline, so the store does not depend on the file staying.
        if (root is JsonObject obj && obj["calendar"] is JsonValue value && value.TryGetValue<string>(out var name) && !BuiltInCalendars.TryGet(name, out _))
        {
            var calendarPath = Path.IsPathRooted(name) ? name : Path.Combine(folder, name);
            if (!File.Exists(calendarPath))
                throw RequestException.Invalid($"{path}: calendar '{name}' is neither a built-in calendar ({string.Join(", ", BuiltInCalendars.Names)}) nor a file beside the profile");
            try
            {
                obj["calendar"] = JsonNode.Parse(await File.ReadAllTextAsync(calendarPath, cancellationToken),
                    documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                throw RequestException.Invalid($"{calendarPath}: not valid JSON: {ex.Message}");
            }
            text = obj.ToJsonString();
        }
        try
        {
            return ProcessProfile.Parse(text, path);
        }
        catch (FormatException ex)
        {
            throw RequestException.Invalid(ex.Message);
        }
    }

    private static ProfileVersion? View(StoredProfile? stored)
    {
        if (stored is null)
            return null;
        var profile = ProcessProfile.Parse(stored.ProfileJson, $"stored profile v{stored.Version}");
        IReadOnlyList<ProfileFinding> findings = [];
        IReadOnlyList<CalendarMatch> calendars = [];
        if (stored.EvidenceJson is { } json)
        {
            using var doc = JsonDocument.Parse(json);
            findings = doc.RootElement.GetProperty("findings").Deserialize<List<ProfileFinding>>(EvidenceJson) ?? [];
            calendars = doc.RootElement.GetProperty("calendars").Deserialize<List<CalendarMatch>>(EvidenceJson) ?? [];
        }
        return new ProfileVersion(stored.Version, stored.Accepted, stored.Source, stored.CreatedAt, profile, findings, calendars);
    }
}
