using System.Globalization;
using Analytics.Core.Mining;
using Analytics.Core.Profiles;
using Analytics.Storage.Mining;

namespace Analytics.Storage.Profiles;

/// <summary>Reads what a profile is suggested from: a sample of whole cases, and each resource's counts over all events.</summary>
public static class ProfileEvidenceReader
{
    /// <summary>Reads the evidence.</summary>
    /// <param name="store">The store.</param>
    /// <param name="sampleCases">About how many cases to sample.</param>
    /// <param name="cancellationToken">Interrupts the queries.</param>
    public static LogEvidence Read(EventStore store, int sampleCases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stats = store.Statistics();
        var source = store.Scalar("SELECT path FROM files ORDER BY file_id LIMIT 1") as string;
        var sample = new ProcessMiner(store).Traces(new MiningFilter { SampleCases = sampleCases }, cancellationToken);
        var resources = new List<ResourceEvidence>();
        using (var cmd = store.Connection.CreateCommand())
        {
            // Batch work: one resource's events in several cases at the same instant (one click that records several
            // events of one case is not batch work).
            // On a large store whole days are sampled (a batch never spans days), about two million events' worth.
            var days = stats.Events <= 2_000_000 ? "" : $" AND hash(CAST(ts AS DATE)) % {(stats.Events + 1_999_999) / 2_000_000} = 0";
            cmd.CommandText = $$"""
                WITH instants AS (SELECT resource, ts, count(*) AS n, count(DISTINCT case_no) AS cases FROM events WHERE resource IS NOT NULL{{days}} GROUP BY resource, ts),
                per AS (SELECT resource, sum(n) AS events, sum(n) FILTER (WHERE cases > 1) AS batched FROM instants GROUP BY resource),
                roles AS (SELECT resource, count(DISTINCT role) AS roles FROM events WHERE resource IS NOT NULL{{days}} GROUP BY resource)
                SELECT per.resource, per.events::BIGINT, coalesce(roles.roles, 0)::INTEGER, (coalesce(per.batched, 0) / per.events)::DOUBLE
                FROM per LEFT JOIN roles USING (resource) ORDER BY per.events DESC
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                resources.Add(new ResourceEvidence(r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture),
                    Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture), Convert.ToDouble(r.GetValue(3), CultureInfo.InvariantCulture)));
            }
        }
        var offsets = new List<OffsetCount>();
        using (var cmd = store.Connection.CreateCommand())
        {
            cmd.CommandText = "SELECT year_month, offset_minutes, sum(timestamps)::BIGINT FROM file_offsets GROUP BY ALL ORDER BY ALL";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                offsets.Add(new OffsetCount(r.GetInt32(0), r.GetInt32(1), r.GetInt64(2)));
        }
        return new LogEvidence(source is null ? null : Path.GetFileName(source), stats.Cases, stats.Events, sample, resources) { Offsets = offsets };
    }
}
