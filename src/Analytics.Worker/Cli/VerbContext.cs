using Analytics.Storage;
using Analytics.Storage.Ingestion;
using Analytics.Worker.Hosting;

namespace Analytics.Worker.Cli;

/// <summary>What every verb needs: the settings, the database path chosen by <c>--db</c> or configuration, and the clock.</summary>
internal sealed record VerbContext(AnalyticsSettings Settings, string DatabasePath, TimeProvider Time)
{
    public IngestOptions IngestOptions => new() { MaxBadRowRatio = Settings.MaxBadRowRatio };

    public EventStore OpenStore() => EventStore.Open(DatabasePath, Settings.MemoryLimit);
}
