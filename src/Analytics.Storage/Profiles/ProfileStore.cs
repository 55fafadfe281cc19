using System.Globalization;
using DuckDB.NET.Data;

namespace Analytics.Storage.Profiles;

/// <summary>
/// The versions of the store's process profile: suggestions waiting for a person, and the accepted profile that every
/// analysis reads (the newest accepted version).
/// </summary>
public sealed class ProfileStore
{
    private readonly EventStore _store;

    /// <summary>Creates the profile store over an event store.</summary>
    public ProfileStore(EventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>The newest accepted version, or null when no profile was accepted yet.</summary>
    public StoredProfile? Accepted() => Read("WHERE state = 'accepted' ORDER BY version DESC LIMIT 1");

    /// <summary>The newest suggestion made after the accepted version, or null.</summary>
    public StoredProfile? PendingSuggestion() =>
        Read("WHERE state = 'suggested' AND version > coalesce((SELECT max(version) FROM process_profiles WHERE state = 'accepted'), 0) ORDER BY version DESC LIMIT 1");

    /// <summary>A version by number.</summary>
    public StoredProfile? Version(int version) => Read($"WHERE version = {version.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Stores a new version.</summary>
    /// <param name="profileJson">The profile as JSON.</param>
    /// <param name="evidenceJson">The evidence of a suggestion, or null.</param>
    /// <param name="accepted">Whether it is accepted now (a person's own file) or waits for acceptance (a suggestion).</param>
    /// <param name="source">Where it came from, e.g. "suggest" or "set profile.json".</param>
    /// <param name="now">The instant.</param>
    /// <returns>The version number.</returns>
    public int Add(string profileJson, string? evidenceJson, bool accepted, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profileJson);
        var version = Convert.ToInt32(_store.Scalar("SELECT coalesce(max(version), 0) + 1 FROM process_profiles"), CultureInfo.InvariantCulture);
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "INSERT INTO process_profiles VALUES ($1, $2, $3, $4, $5, $6, $7)";
        foreach (var v in new object[] { version, now, accepted ? "accepted" : "suggested", source, profileJson, (object?)evidenceJson ?? DBNull.Value, accepted ? now : DBNull.Value })
            cmd.Parameters.Add(new DuckDBParameter(v));
        cmd.ExecuteNonQuery();
        return version;
    }

    /// <summary>Marks a suggested version accepted.</summary>
    public void Accept(int version, DateTimeOffset now)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = "UPDATE process_profiles SET state = 'accepted', accepted_at = $1 WHERE version = $2";
        cmd.Parameters.Add(new DuckDBParameter(now));
        cmd.Parameters.Add(new DuckDBParameter(version));
        cmd.ExecuteNonQuery();
    }

    private StoredProfile? Read(string where)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = $"SELECT version, created_at, state, source, profile, evidence, accepted_at FROM process_profiles {where}";
        using var r = cmd.ExecuteReader();
        if (!r.Read())
            return null;
        return new StoredProfile(r.GetInt32(0), new DateTimeOffset(((DateTime)r.GetValue(1)).ToUniversalTime()), r.GetString(2) == "accepted", r.GetString(3),
            r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : new DateTimeOffset(((DateTime)r.GetValue(6)).ToUniversalTime()));
    }
}

/// <summary>One stored version of the process profile.</summary>
/// <param name="Version">Its number.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="Accepted">Whether a person accepted it.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="ProfileJson">The profile.</param>
/// <param name="EvidenceJson">The evidence of a suggestion.</param>
/// <param name="AcceptedAt">When it was accepted.</param>
public sealed record StoredProfile(int Version, DateTimeOffset CreatedAt, bool Accepted, string Source, string ProfileJson, string? EvidenceJson, DateTimeOffset? AcceptedAt);
