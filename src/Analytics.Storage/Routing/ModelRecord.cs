namespace Analytics.Storage.Routing;

/// <summary>A stored model version: metadata as JSON text, the pipeline as bytes.</summary>
/// <param name="Version">1, 2, …</param>
/// <param name="CreatedAt">When it was trained.</param>
/// <param name="Kind">lightgbm or logistic.</param>
/// <param name="Config">The routing configuration (JSON).</param>
/// <param name="FeatureSpace">The feature layout (JSON).</param>
/// <param name="PlattA">Calibration slope.</param>
/// <param name="PlattB">Calibration intercept.</param>
/// <param name="Threshold">The routing policy's threshold.</param>
/// <param name="Metrics">The training report (JSON).</param>
/// <param name="Pipeline">The ML.NET model zip.</param>
/// <param name="Active">Whether routing uses it.</param>
public sealed record ModelRecord(int Version, DateTimeOffset CreatedAt, string Kind, string Config, string FeatureSpace, double PlattA, double PlattB,
    double Threshold, string Metrics, byte[] Pipeline, bool Active);
