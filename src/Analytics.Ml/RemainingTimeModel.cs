using Analytics.Core.Prediction;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Analytics.Ml;

/// <summary>A remaining-time estimate: the median and a 90% prediction interval, in business hours.</summary>
/// <param name="MedianHours">The median.</param>
/// <param name="LowHours">The interval's lower end (5%).</param>
/// <param name="HighHours">Its upper end (95%).</param>
public sealed record RemainingTimeEstimate(double MedianHours, double LowHours, double HighHours);

/// <summary>
/// Remaining business time of a case from where it stands: gradient boosting (LightGBM, one thread) on the prefix's
/// features (last activity, events so far, business hours elapsed and in the node, cases open) predicting the log of the
/// remaining hours, with split-conformal intervals: the residuals of a calibration set that the trees never saw, per
/// last activity where it has enough of them (Mondrian conformal), give the 90% interval and the probability that the
/// case outlasts a budget (its SLA).
/// </summary>
public sealed class RemainingTimeModel
{
    private const int MinimumPerActivity = 200;
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly Dictionary<string, int> _activities;
    private readonly AttributeSpace _attributes;
    private readonly Calibration _calibration;

    private RemainingTimeModel(MLContext ml, ITransformer model, Dictionary<string, int> activities, AttributeSpace attributes, Calibration calibration)
    {
        _ml = ml;
        _attributes = attributes;
        _model = model;
        _activities = activities;
        _calibration = calibration;
    }

    /// <summary>Prefixes the calibration residuals rest on.</summary>
    public int CalibrationPrefixes => _calibration.Count;

    /// <summary>The calibration the model was trained with.</summary>
    public Calibration Calibrated => _calibration;

    /// <summary>Trains on prefixes of ended cases and calibrates on others (of later cases, so that the intervals hold going forward).</summary>
    public static RemainingTimeModel Train(IReadOnlyList<CasePrefix> train, IReadOnlyList<CasePrefix> calibration, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(calibration);
        if (train.Count < 100 || calibration.Count < 50)
            throw new ArgumentException($"too few ended cases to learn remaining times from ({train.Count:N0} training and {calibration.Count:N0} calibration prefixes; at least 100 and 50)");
        var activities = train.GroupBy(p => p.LastActivity, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Take(60)
            .Select((g, i) => (g.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        var attributes = AttributeSpace.Of(train);
        var ml = new MLContext(seed: seed);
        var data = Load(ml, train.Select(p => new Row { Label = (float)Math.Log(1 + p.RemainingHours), Features = Vector(p, activities, attributes) }), activities.Count + 5 + attributes.Size);
        var pipeline = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            NumberOfThreads = 1, // on 2 cores LightGBM with two threads swings from seconds to minutes
            Seed = seed,
            Deterministic = true,
            NumberOfIterations = 200,
            LearningRate = 0.05,
            NumberOfLeaves = 31,
            MinimumExampleCountPerLeaf = 50,
        });
        var model = pipeline.Fit(data);
        var fitted = new RemainingTimeModel(ml, model, activities, attributes, Calibration.Of([]));
        return new RemainingTimeModel(ml, model, activities, attributes, Calibration.Of(fitted.Residuals(calibration)));
    }

    /// <summary>The residuals (log scale) of prefixes of ended cases, with their last activity: what a calibration is made of.</summary>
    public IReadOnlyList<(string Activity, double Residual)> Residuals(IReadOnlyList<CasePrefix> ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        var predicted = Raw(ended);
        return ended.Select((p, i) => (p.LastActivity, Math.Log(1 + p.RemainingHours) - predicted[i])).ToList();
    }

    /// <summary>Estimates for prefixes.</summary>
    /// <param name="prefixes">Where the cases stand.</param>
    /// <param name="calibration">Residuals to calibrate on; null for the model's own.</param>
    /// <param name="below">The share of remaining times that may lie below the interval (0.05 for a 90% interval; adaptive conformal inference moves each tail's share to keep the coverage under drift).</param>
    /// <param name="above">The share that may lie above it.</param>
    public IReadOnlyList<RemainingTimeEstimate> Estimate(IReadOnlyList<CasePrefix> prefixes, Calibration? calibration = null, double below = 0.05, double above = 0.05)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var raw = Raw(prefixes);
        var c = calibration ?? _calibration;
        return prefixes.Select((p, i) =>
        {
            var r = c.For(p.LastActivity);
            return new RemainingTimeEstimate(Back(raw[i] + Quantile(r, 0.5)), Back(raw[i] + Lower(r, below)), Back(raw[i] + Upper(r, 1 - above)));
        }).ToList();
    }

    /// <summary>The probability that each case still needs more than its budget of business hours (e.g. what is left of its SLA).</summary>
    public IReadOnlyList<double> ProbabilityBeyond(IReadOnlyList<CasePrefix> prefixes, IReadOnlyList<double> budgetHours, Calibration? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(budgetHours);
        var raw = Raw(prefixes);
        var c = calibration ?? _calibration;
        return prefixes.Select((p, i) =>
        {
            if (budgetHours[i] <= 0)
                return 1.0;
            var r = c.For(p.LastActivity);
            var threshold = Math.Log(1 + budgetHours[i]) - raw[i];
            var beyond = r.Length - UpperBound(r, threshold);
            return (beyond + 1.0) / (r.Length + 1.0); // conformal: the new case counted as one more
        }).ToList();
    }

    private double[] Raw(IReadOnlyList<CasePrefix> prefixes)
    {
        if (prefixes.Count == 0)
            return [];
        var data = Load(_ml, prefixes.Select(p => new Row { Features = Vector(p, _activities, _attributes) }), _activities.Count + 5 + _attributes.Size);
        return _model.Transform(data).GetColumn<float>("Score").Select(s => (double)s).ToArray();
    }

    private static float[] Vector(CasePrefix p, Dictionary<string, int> activities, AttributeSpace attributes)
    {
        var v = new float[activities.Count + 5 + attributes.Size];
        attributes.Fill(p.Attributes, v, activities.Count + 5);
        if (activities.TryGetValue(p.LastActivity, out var i))
            v[i] = 1;
        var o = activities.Count;
        v[o] = p.Events;
        v[o + 1] = (float)p.ElapsedHours;
        v[o + 2] = (float)p.InNodeHours;
        v[o + 3] = p.OpenCases;
        v[o + 4] = activities.ContainsKey(p.LastActivity) ? 0 : 1;
        return v;
    }

    private static double Back(double log) => Math.Max(0, Math.Exp(log) - 1);

    private static double Quantile(double[] sorted, double p) => sorted[(int)Math.Clamp(Math.Round(p * (sorted.Length - 1)), 0, sorted.Length - 1)];

    // Split-conformal ends with the finite-sample correction: the ⌊(n+1)α⌋-th and ⌈(n+1)(1−α)⌉-th residuals.
    private static double Lower(double[] sorted, double alpha) => sorted[Math.Clamp((int)Math.Floor((sorted.Length + 1) * alpha) - 1, 0, sorted.Length - 1)];

    private static double Upper(double[] sorted, double level) => sorted[Math.Clamp((int)Math.Ceiling((sorted.Length + 1) * level) - 1, 0, sorted.Length - 1)];

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= value)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    private static IDataView Load(MLContext ml, IEnumerable<Row> rows, int size)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>
    /// Conformal residuals (log of remaining hours, actual minus predicted), sorted, overall and per last activity where
    /// it has at least 200 (Mondrian conformal: an interval per node holds per node).
    /// </summary>
    public sealed class Calibration
    {
        private readonly double[] _all;
        private readonly Dictionary<string, double[]> _byActivity;

        private Calibration(double[] all, Dictionary<string, double[]> byActivity)
        {
            _all = all;
            _byActivity = byActivity;
        }

        /// <summary>Residuals it rests on.</summary>
        public int Count => _all.Length;

        /// <summary>A calibration from residuals, e.g. of the cases that ended most recently.</summary>
        public static Calibration Of(IEnumerable<(string Activity, double Residual)> residuals)
        {
            ArgumentNullException.ThrowIfNull(residuals);
            var list = residuals.ToList();
            return new Calibration(list.Select(r => r.Residual).Order().ToArray(),
                list.GroupBy(r => r.Activity, StringComparer.Ordinal).Where(g => g.Count() >= MinimumPerActivity)
                    .ToDictionary(g => g.Key, g => g.Select(r => r.Residual).Order().ToArray(), StringComparer.Ordinal));
        }

        internal double[] For(string activity) => _byActivity.TryGetValue(activity, out var r) ? r : _all;
    }

    /// <summary>
    /// The case attributes as features: those most cases carry, a number as itself (NaN when missing), a true/false as
    /// 1/0, text of at most 20 values one-hot; at most 30 attributes.
    /// </summary>
    private sealed class AttributeSpace
    {
        private readonly List<(string Key, Dictionary<string, int>? Values, int Offset)> _features = [];

        public int Size { get; private set; }

        public static AttributeSpace Of(IReadOnlyList<CasePrefix> prefixes)
        {
            var space = new AttributeSpace();
            var cases = prefixes.GroupBy(p => p.CaseId, StringComparer.Ordinal).Select(g => g.First().Attributes).ToList();
            var keys = cases.SelectMany(a => a.Keys).GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() >= 0.5 * cases.Count)
                .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
            foreach (var key in keys)
            {
                if (space._features.Count >= 30)
                    break;
                var values = cases.Select(a => a.GetValueOrDefault(key)).Where(v => v is not null).ToList();
                if (values.All(v => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) || bool.TryParse(v, out _)))
                {
                    space._features.Add((key, null, space.Size));
                    space.Size++;
                    continue;
                }
                var distinct = values.Distinct(StringComparer.Ordinal).ToList();
                if (distinct.Count is < 2 or > 20)
                    continue; // an identifier or free text says nothing general
                space._features.Add((key, distinct.Select((v, i) => (v, i)).ToDictionary(x => x.v!, x => x.i, StringComparer.Ordinal), space.Size));
                space.Size += distinct.Count;
            }
            return space;
        }

        public void Fill(IReadOnlyDictionary<string, string> attributes, float[] v, int offset)
        {
            foreach (var (key, values, at) in _features)
            {
                var text = attributes.GetValueOrDefault(key);
                if (values is null)
                    v[offset + at] = text is null ? float.NaN
                        : bool.TryParse(text, out var b) ? (b ? 1 : 0)
                        : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? (float)d : float.NaN;
                else if (text is not null && values.TryGetValue(text, out var i))
                    v[offset + at + i] = 1;
            }
        }
    }

    private sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
