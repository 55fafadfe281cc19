using Analytics.Core.Routing;
using Microsoft.ML;
using Microsoft.ML.Data;
using System.Globalization;

namespace Analytics.Ml;

/// <summary>
/// A trained review-need model: the feature layout, the ML.NET pipeline (LightGBM, or the logistic-regression
/// baseline) giving a raw score, and the Platt scaling fitted on the calibration period that turns it into a
/// probability. Predictions are thread-safe only through separate instances of <see cref="Predict"/> callers' engines.
/// </summary>
public sealed class ReviewModel : IDisposable
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;
    private readonly ThreadLocal<PredictionEngine<Example, Scored>> _engine;

    internal ReviewModel(MLContext ml, ITransformer model, DataViewSchema schema, FeatureSpace space, PlattScaling calibration, string kind)
    {
        _ml = ml;
        _model = model;
        _schema = schema;
        Space = space;
        Calibration = calibration;
        Kind = kind;
        // A prediction engine scores one row in microseconds but is not thread-safe: one per thread.
        _engine = new ThreadLocal<PredictionEngine<Example, Scored>>(() =>
        {
            var input = SchemaDefinition.Create(typeof(Example));
            input[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Space.SlotNames.Count);
            return _ml.Model.CreatePredictionEngine<Example, Scored>(_model, inputSchemaDefinition: input);
        });
    }

    /// <summary>The calibrated probability of one row (fast path for serving).</summary>
    public double Probability(FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Calibration.Probability(_engine.Value!.Predict(new Example { Features = Space.Vector(row) }).Score);
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
    /// The features that move this order's probability the most, in the business's words: each feature in turn is set
    /// to a typical value (the training median, or no category) and the change in probability is its contribution.
    /// For an order sent to review, the features that raise it; for one routed past, those that lower it (why it is
    /// safe). Model-agnostic, so LightGBM and the baseline explain the same way.
    /// </summary>
    /// <param name="row">The order's features.</param>
    /// <param name="config">Names and units of attributes.</param>
    /// <param name="raising">The features raising the probability (true) or lowering it (false).</param>
    /// <param name="count">At most this many.</param>
    public IReadOnlyList<string> Reasons(FeatureRow row, RoutingConfig config, bool raising = true, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(config);
        var vector = Space.Vector(row);
        var engine = _engine.Value!;
        double Score(float[] v) => Calibration.Probability(engine.Predict(new Example { Features = v }).Score);
        var baseline = Score(vector);
        var effects = new List<(string Text, double Effect)>();
        foreach (var (name, value) in row.Numeric)
        {
            var slot = Space.NumericSlot(name);
            var typical = Space.Medians.GetValueOrDefault(name);
            if (slot < 0 || value == typical)
                continue;
            var variant = (float[])vector.Clone();
            variant[slot] = (float)typical;
            effects.Add((FeatureWords.Numeric(name, value, typical, config), baseline - Score(variant)));
        }
        foreach (var (name, value) in row.Categorical)
        {
            var (start, length) = Space.CategorySlots(name);
            if (length == 0)
                continue;
            // Without the category the order looks like one of an unlisted ("other") value.
            var variant = (float[])vector.Clone();
            Array.Clear(variant, start, length);
            variant[start + length - 1] = 1f;
            effects.Add((FeatureWords.Category(name, value, config), baseline - Score(variant)));
        }
        // Ranked in log-odds, so that an order already far from the threshold still gets its reasons (a probability
        // of 0.002 moves little in absolute terms); shown as the change in probability.
        var sign = raising ? 1 : -1;
        static double Logit(double p) => Math.Log(Math.Clamp(p, 1e-9, 1 - 1e-9) / (1 - Math.Clamp(p, 1e-9, 1 - 1e-9)));
        return effects.Select(x => (x.Text, x.Effect, Odds: Logit(baseline) - Logit(baseline - x.Effect)))
            .Where(x => sign * x.Odds > 0.05).OrderByDescending(x => sign * x.Odds).Take(count)
            .Select(x => $"{x.Text}: {(x.Effect >= 0 ? "+" : "−")}{Math.Abs(x.Effect).ToString(Math.Abs(x.Effect) < 0.01 ? "0.000" : "0.00", CultureInfo.InvariantCulture)}").ToList();
    }

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();

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
