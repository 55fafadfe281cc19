using System.Text.Json;
using Analytics.Core.Routing;
using Analytics.Ml;
using Analytics.Storage;
using Analytics.Storage.Routing;

namespace Analytics.Application.Models;

/// <summary>The active model version from the registry, ready to score. Dispose it to free the pipeline.</summary>
/// <param name="Version">The version.</param>
/// <param name="Threshold">The routing policy's threshold.</param>
/// <param name="Config">What it predicts.</param>
/// <param name="Model">The scorer.</param>
public sealed record ActiveModel(int Version, double Threshold, RoutingConfig Config, ReviewModel Model) : IDisposable
{
    /// <summary>The active version, or null.</summary>
    public static ActiveModel? Load(EventStore store)
    {
        var record = new ModelRegistry(store).Active();
        if (record is null)
            return null;
        var config = RoutingConfig.FromStored(record.Config, Json.Options);
        var space = JsonSerializer.Deserialize<FeatureSpace>(record.FeatureSpace, Json.Options)!;
        using var pipeline = new MemoryStream(record.Pipeline);
        return new ActiveModel(record.Version, record.Threshold, config, ReviewModel.Load(pipeline, space, new PlattScaling(record.PlattA, record.PlattB), record.Kind));
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
