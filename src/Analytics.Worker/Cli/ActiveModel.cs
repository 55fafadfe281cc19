using System.Text.Json;
using Analytics.Core.Routing;
using Analytics.Ml;
using Analytics.Storage;
using Analytics.Storage.Routing;

namespace Analytics.Worker.Cli;

/// <summary>The active model version from the registry, ready to score.</summary>
internal sealed record ActiveModel(int Version, double Threshold, RoutingConfig Config, ReviewModel Model)
{
    public static ActiveModel? Load(EventStore store)
    {
        var record = new ModelRegistry(store).Active();
        if (record is null)
            return null;
        var config = JsonSerializer.Deserialize<RoutingConfig>(record.Config, JsonOutput.Options)!;
        var space = JsonSerializer.Deserialize<FeatureSpace>(record.FeatureSpace, JsonOutput.Options)!;
        using var pipeline = new MemoryStream(record.Pipeline);
        return new ActiveModel(record.Version, record.Threshold, config, ReviewModel.Load(pipeline, space, new PlattScaling(record.PlattA, record.PlattB), record.Kind));
    }

    /// <summary>The suggestion for an order, with features from the store as of its decision.</summary>
    public RoutingSuggestion Suggest(EventStore store, DecisionCase order)
    {
        var cases = RoutingDataset.Read(store, Config).Where(c => c.DecisionUtc < order.DecisionUtc && c.CaseId != order.CaseId).Append(order).ToList();
        var row = FeatureBuilder.Build(cases, Config).Single(r => r.CaseId == order.CaseId);
        return RoutingSuggestion.Decide(order.CaseId, order.Attributes, Config, Model.Probability(row), Threshold, Model.Reasons(row), Version);
    }
}
