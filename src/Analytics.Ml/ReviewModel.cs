using Analytics.Core.Routing;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Analytics.Ml;

/// <summary>
/// A trained review-need model: the feature layout, the ML.NET pipeline (LightGBM, or the logistic-regression
/// baseline) giving a raw score, and the Platt scaling fitted on the calibration period that turns it into a
/// probability. Predictions are thread-safe only through separate instances of <see cref="Predict"/> callers' engines.
/// </summary>
public sealed class ReviewModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;

    internal ReviewModel(MLContext ml, ITransformer model, DataViewSchema schema, FeatureSpace space, PlattScaling calibration, string kind)
    {
        _ml = ml;
        _model = model;
        _schema = schema;
        Space = space;
        Calibration = calibration;
        Kind = kind;
    }

    /// <summary>lightgbm or logistic.</summary>
    public string Kind { get; }

    /// <summary>The feature layout.</summary>
    public FeatureSpace Space { get; }

    /// <summary>The calibration of raw scores into probabilities.</summary>
    public PlattScaling Calibration { get; }

    /// <summary>Calibrated probabilities that each row needed review.</summary>
    public double[] Probabilities(IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return RawScores(rows).Select(Calibration.Probability).ToArray();
    }

    /// <summary>Raw model scores (margins).</summary>
    public double[] RawScores(IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var data = Examples.Load(_ml, rows.Select(r => new Example { Label = r.Label, Features = Space.Vector(r) }), Space.SlotNames.Count);
        return _ml.Data.CreateEnumerable<Scored>(_model.Transform(data), reuseRowObject: false).Select(s => (double)s.Score).ToArray();
    }

    /// <summary>
    /// The features that pushed a row's score up the most, in plain words (LightGBM's per-prediction feature
    /// contributions; for the baseline, weight × value).
    /// </summary>
    public IReadOnlyList<string> Reasons(FeatureRow row, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(row);
        var vector = Space.Vector(row);
        var data = Examples.Load(_ml, [new Example { Label = row.Label, Features = vector }], vector.Length);
        var predictor = ((TransformerChain<ITransformer>)_model).LastTransformer as ISingleFeaturePredictionTransformer<ICalculateFeatureContribution>;
        if (predictor is null)
            return [];
        var contributions = _ml.Transforms.CalculateFeatureContribution(predictor, numberOfPositiveContributions: count, numberOfNegativeContributions: 0, normalize: false)
            .Fit(_model.Transform(data)).Transform(_model.Transform(data));
        var values = contributions.GetColumn<VBuffer<float>>("FeatureContributions").First().DenseValues().ToArray();
        return values.Select((c, i) => (c, i)).Where(x => x.c > 0).OrderByDescending(x => x.c).Take(count)
            .Select(x => Space.Describe(x.i, vector[x.i])).ToList();
    }

    /// <summary>Saves the ML.NET pipeline to a stream (the layout and calibration are stored beside it by the registry).</summary>
    public void Save(Stream stream) => _ml.Model.Save(_model, _schema, stream);

    /// <summary>Loads a pipeline saved by <see cref="Save"/>.</summary>
    public static ReviewModel Load(Stream stream, FeatureSpace space, PlattScaling calibration, string kind)
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(stream, out var schema);
        return new ReviewModel(ml, model, schema, space, calibration, kind);
    }

    internal sealed class Scored
    {
        public float Score { get; set; }
    }
}

/// <summary>One row for ML.NET: the label and the feature vector, whose length is set at run time.</summary>
internal sealed class Example
{
    public bool Label { get; set; }

    public float[] Features { get; set; } = [];
}

internal static class Examples
{
    public static IDataView Load(MLContext ml, IEnumerable<Example> rows, int size)
    {
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
