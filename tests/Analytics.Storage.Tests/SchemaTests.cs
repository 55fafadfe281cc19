using Analytics.Storage.Schema;
using Analytics.Testing;

namespace Analytics.Storage.Tests;

public sealed class SchemaTests
{
    [Fact]
    public void SchemaIsAppliedOnceAndKeptOnReopen()
    {
        using var temp = new TempFolder();
        var path = temp.File("store.duckdb");
        using (var store = EventStore.Open(path))
            Assert.Equal(SchemaMigrations.Latest, store.SchemaVersion);
        using (var again = EventStore.Open(path))
        {
            Assert.Equal(SchemaMigrations.Latest, again.SchemaVersion);
            Assert.Equal(SchemaMigrations.All.Count, Convert.ToInt32(again.Scalar("SELECT count(*) FROM schema_version"), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void FileThatIsNotADatabaseGivesClearError()
    {
        using var temp = new TempFolder();
        var path = temp.Write("not-a-db.duckdb", "just text, not a database file at all .................................................");

        var ex = Assert.Throws<StoreUnavailableException>(() => EventStore.Open(path));

        Assert.Contains("not-a-db.duckdb", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpgradeFromVersionTwoNumbersStoredCases()
    {
        using var temp = new TempFolder();
        var path = temp.File("old.duckdb");
        using (var store = EventStore.Open(path))
        {
            Ingestion.Load.File(store, Path.Combine(RepositoryPaths.RealLogs, "running-example.xes"));
            // Turn the file back into a version-2 database: no case numbers yet.
            store.Execute("ALTER TABLE events DROP COLUMN case_no; ALTER TABLE cases DROP COLUMN case_no; DROP TABLE models; DROP TABLE routing_suggestions; DROP TABLE outbox; DROP TABLE process_profiles; DROP TABLE file_offsets; DROP TABLE pending_followups; DELETE FROM schema_version WHERE version >= 3;");
        }

        using var upgraded = EventStore.Open(path);

        Assert.Equal(SchemaMigrations.Latest, upgraded.SchemaVersion);
        Assert.Equal(6L, Convert.ToInt64(upgraded.Scalar("SELECT count(DISTINCT case_no) FROM cases"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(upgraded.Scalar("SELECT count(*) FROM events e JOIN cases c USING (case_id) WHERE e.case_no IS DISTINCT FROM c.case_no"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
