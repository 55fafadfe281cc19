namespace Analytics.Storage.Ingestion;

/// <summary>Progress of one file's load.</summary>
/// <param name="Path">The file.</param>
/// <param name="Phase">What is happening: reading, validating, storing.</param>
/// <param name="Done">Units done (bytes while reading).</param>
/// <param name="Total">Units in all; 0 when unknown.</param>
public sealed record IngestProgress(string Path, string Phase, long Done, long Total);
