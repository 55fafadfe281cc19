using DuckDB.NET.Data;

namespace Analytics.Storage.Routing;

/// <summary>Model versions in the store: add (and activate), list, activate or roll back, read the active one.</summary>
public sealed class ModelRegistry
{
    private readonly EventStore _store;

    /// <summary>Creates the registry over a store.</summary>
    public ModelRegistry(EventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Stores a new version; when <paramref name="activate"/>, it becomes the only active one.</summary>
    /// <returns>The new version number.</returns>
    public int Add(ModelRecord record, bool activate)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var tx = _store.Connection.BeginTransaction();
        var version = Convert.ToInt32(_store.Scalar("SELECT coalesce(max(version), 0) + 1 FROM models"), System.Globalization.CultureInfo.InvariantCulture);
        if (activate)
            _store.Execute("UPDATE models SET active = false WHERE active");
        using (var cmd = _store.Connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO models VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
            foreach (var v in new object[] { version, record.CreatedAt, record.Kind, record.Config, record.FeatureSpace, record.PlattA, record.PlattB, record.Threshold, record.Metrics, record.Pipeline, activate })
                cmd.Parameters.Add(new DuckDBParameter(v));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return version;
    }

    /// <summary>Makes a version the active one (also a rollback to an older version).</summary>
    /// <exception cref="ArgumentException">No such version.</exception>
    public void Activate(int version)
    {
        using var tx = _store.Connection.BeginTransaction();
        if (Convert.ToInt64(_store.Scalar("SELECT count(*) FROM models WHERE version = $1", version), System.Globalization.CultureInfo.InvariantCulture) == 0)
            throw new ArgumentException($"there is no model version {version}");
        _store.Execute($"UPDATE models SET active = (version = {version})");
        tx.Commit();
    }

    /// <summary>All versions, newest first, without their pipelines.</summary>
    public IReadOnlyList<ModelRecord> List() => Read("SELECT version, created_at, kind, config, feature_space, platt_a, platt_b, threshold, metrics, NULL, active FROM models ORDER BY version DESC");

    /// <summary>The active version with its pipeline, or null.</summary>
    public ModelRecord? Active() => Read("SELECT version, created_at, kind, config, feature_space, platt_a, platt_b, threshold, metrics, pipeline, active FROM models WHERE active").FirstOrDefault();

    private List<ModelRecord> Read(string sql)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<ModelRecord>();
        while (r.Read())
        {
            byte[] pipeline = [];
            if (!r.IsDBNull(9))
            {
                using var blob = r.GetStream(9);
                using var copy = new MemoryStream();
                blob.CopyTo(copy);
                pipeline = copy.ToArray();
            }
            list.Add(new ModelRecord(r.GetInt32(0), new DateTimeOffset(((DateTime)r.GetValue(1)).ToUniversalTime()), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetDouble(5), r.GetDouble(6), r.GetDouble(7), r.GetString(8), pipeline, r.GetBoolean(10)));
        }
        return list;
    }
}
