using System.Text.Json;
using Analytics.Application.Profiles;
using Analytics.Core.Notifications;
using Analytics.Core.Profiles;
using Analytics.Storage;
using Analytics.Storage.Notifications;

namespace Analytics.Application.Notifications;

/// <summary>
/// After a load, tells people of each new event that changes where a case stands: the notices of
/// <see cref="NodeChangeNotices"/> for the file's events, queued in the outbox as WeCom markdown, each exactly once by
/// its key (case, event, subscriber), so that a follow-up run twice (after a kill) queues nothing twice.
/// </summary>
public static class NodeChangeService
{
    /// <summary>Queues the notices of a file's new events; returns how many were added.</summary>
    public static int Notify(EventStore store, ActiveProfile active, int fileId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(active);
        var profile = active.Profile;
        var settings = profile.Notify;
        // Only for a process a person confirmed: without an accepted profile nobody has said who is to be told of what.
        if (!settings.NodeChanges || !active.Accepted)
            return 0;
        var reader = new NodeChangeReader(store);
        var newest = store.LatestEventUtc();
        var events = reader.NewEvents(fileId, profile.SideActivities, settings.RequesterAttribute)
            .Where(e => (newest - e.Utc).TotalHours <= settings.RecentHours).ToList();
        if (events.Count == 0)
            return 0;
        var next = reader.NextRoles(profile.SideActivities);
        var pools = profile.Roles.Where(r => r.Value == RoleKind.Pool).Select(r => r.Key)
            .Concat(next.Values.Where(role => profile.KindOf(role) == RoleKind.Pool)).ToHashSet(StringComparer.Ordinal);
        var people = Directory(store, settings);
        var notices = NodeChangeNotices.Plan(events, settings, a => next.GetValueOrDefault(a), pools, people, profile.Report.Language, active.Calendar.TimeZone);
        var messages = notices.Select(n => ("node-change", n.IdempotencyKey, JsonSerializer.Serialize(new
        {
            msgtype = "markdown",
            markdown = new { content = n.Text, mentioned_list = n.Mentions },
        }))).ToList();
        return new Outbox(store).EnqueueMany(messages, now);
    }

    /// <summary>The profile's directory of WeCom user ids, relative to the store's folder; empty without one.</summary>
    /// <exception cref="RequestException">The file is missing or not the directory's JSON.</exception>
    public static PeopleDirectory Directory(EventStore store, NotificationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Directory is not { Length: > 0 } name)
            return PeopleDirectory.Empty;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(store.Path)) ?? ".";
        var path = System.IO.Path.IsPathRooted(name) ? name : System.IO.Path.Combine(folder, name);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var resources = new Dictionary<string, string>(StringComparer.Ordinal);
            var roles = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (doc.RootElement.TryGetProperty("resources", out var r))
                foreach (var p in r.EnumerateObject())
                    resources[p.Name] = p.Value.GetString() ?? throw new FormatException($"resources.{p.Name}: give a WeCom user id");
            if (doc.RootElement.TryGetProperty("roles", out var g))
                foreach (var p in g.EnumerateObject())
                    roles[p.Name] = p.Value.EnumerateArray().Select(x => x.GetString() ?? throw new FormatException($"roles.{p.Name}: give WeCom user ids")).ToList();
            return new PeopleDirectory(resources, roles);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException)
        {
            throw RequestException.Invalid($"notify.directory {path}: {ex.Message} (a JSON object with \"resources\": {{name: userid}} and \"roles\": {{role: [userids]}})");
        }
    }
}
