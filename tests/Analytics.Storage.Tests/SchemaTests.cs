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
}
