using Analytics.Core.Routing;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

namespace Analytics.Ml;

/// <summary>
/// Trains the review-need model on a time-ordered split — train, then calibration (Platt scaling and the routing
/// policy's guarantee), then test (the latest months, for the metrics) — and compares LightGBM with a
/// logistic-regression baseline. LightGBM runs on one thread: deterministic, and steady on a 2-core machine.
/// </summary>
public static class ReviewModelTrainer
{
    /// <summary>Review ratios (share of all orders sent to a PM) at which recall is reported.</summary>
    public static IReadOnlyList<double> ReviewRatios { get; } = [0.10, 0.15, 0.20, 0.25, 0.43];

    /// <summary>Trains and evaluates.</summary>
    /// <param name="cases">Every case at its decision (population and others: the others count in the review ratio's denominator).</param>
    /// <param name="config">The routing configuration.</param>
    /// <returns>The model, the baseline and the report.</returns>
    public static (ReviewModel Model, TrainingReport Report) Train(IReadOnlyList<DecisionCase> cases, RoutingConfig config)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(config);
        var rows = FeatureBuilder.Build(cases, config);
        if (rows.Count < 50)
            throw new ArgumentException($"only {rows.Count} cases in the population reached '{config.Decision}': too few to train");
        var last = rows.Max(r => r.DecisionUtc);
        var testFrom = last.AddMonths(-config.TestMonths);
        var calibrationFrom = testFrom.AddMonths(-config.CalibrationMonths);
        var train = rows.Where(r => r.DecisionUtc < calibrationFrom).ToList();
        var calibration = rows.Where(r => r.DecisionUtc >= calibrationFrom && r.DecisionUtc < testFrom).ToList();
        var test = rows.Where(r => r.DecisionUtc >= testFrom).ToList();
        if (train.Count == 0 || calibration.Count == 0 || test.Count == 0 || train.All(r => r.Label) || train.All(r => !r.Label))
            throw new ArgumentException($"the time split left {train.Count} training, {calibration.Count} calibration and {test.Count} test cases (with both outcomes needed in training); the log needs more months");

        var space = FeatureSpace.Learn(train);
        var lightGbm = Fit(space, train, calibration, config, baseline: false);
        var logistic = Fit(space, train, calibration, config, baseline: true);

        var allInTest = cases.Count(c => c.DecisionUtc >= testFrom);
        var testLabels = test.Select(r => r.Label).ToArray();
        var p = lightGbm.Probabilities(test);
        var pBase = logistic.Probabilities(test);
        var calibrationP = lightGbm.Probabilities(calibration);
        var calibrationLabels = calibration.Select(r => r.Label).ToArray();
        var (threshold, _, bound) = MissRateGuarantee.Choose(calibrationP, calibrationLabels, config.Alpha, config.Delta);

        var routedPast = Enumerable.Range(0, test.Count).Where(i => p[i] < threshold).ToList();
        // Fixed capacity: PMs take 15% of all orders. On the calibration period that is this share of the population.
        var allInCalibration = cases.Count(c => c.DecisionUtc >= calibrationFrom && c.DecisionUtc < testFrom);
        var capacityShare = Math.Min(1, 0.15 * allInCalibration / Math.Max(1, calibration.Count));
        var (capacityThreshold, capacityBound) = MissRateGuarantee.AtReviewShare(calibrationP, calibrationLabels, capacityShare, config.Delta);
        var pastAtCapacity = Enumerable.Range(0, test.Count).Where(i => p[i] < capacityThreshold).ToList();
        var report = new TrainingReport
        {
            TrainCases = train.Count,
            CalibrationCases = calibration.Count,
            TestCases = test.Count,
            AllOrdersInTest = allInTest,
            TestFromUtc = testFrom,
            Auc = RankingMetrics.Auc(p, testLabels),
            PrAuc = RankingMetrics.AveragePrecision(p, testLabels),
            Brier = RankingMetrics.Brier(p, testLabels),
            BaselineAuc = RankingMetrics.Auc(pBase, testLabels),
            BaselinePrAuc = RankingMetrics.AveragePrecision(pBase, testLabels),
            RecallAtReviewRatio = ReviewRatios.ToDictionary(r => r, r => RankingMetrics.RecallAtBudget(p, testLabels, (int)Math.Round(r * allInTest))),
            BaselineRecallAtReviewRatio = ReviewRatios.ToDictionary(r => r, r => RankingMetrics.RecallAtBudget(pBase, testLabels, (int)Math.Round(r * allInTest))),
            Threshold = threshold,
            ReviewRatio = allInTest == 0 ? 0 : (double)(test.Count - routedPast.Count) / allInTest,
            MissRateUpperBound = bound,
            ObservedTestMissRate = routedPast.Count == 0 ? 0 : routedPast.Count(i => testLabels[i]) / (double)routedPast.Count,
            TestReviewNeededShare = allInTest == 0 ? 0 : testLabels.Count(l => l) / (double)allInTest,
            PopulationShare = allInTest == 0 ? 0 : test.Count / (double)allInTest,
            CapacityThreshold = capacityThreshold,
            CapacityMissRateUpperBound = capacityBound,
            CapacityReviewRatio = allInTest == 0 ? 0 : (double)(test.Count - pastAtCapacity.Count) / allInTest,
            CapacityTestMissRate = pastAtCapacity.Count == 0 ? 0 : pastAtCapacity.Count(i => testLabels[i]) / (double)pastAtCapacity.Count,
            CapacityTestRecall = !testLabels.Any(l => l) ? 0 : Enumerable.Range(0, test.Count).Count(i => testLabels[i] && p[i] >= capacityThreshold) / (double)testLabels.Count(l => l),
            Alpha = config.Alpha,
            Delta = config.Delta,
            Features = space.SlotNames.Count,
        };
        return (lightGbm, report);
    }

    private static ReviewModel Fit(FeatureSpace space, IReadOnlyList<FeatureRow> train, IReadOnlyList<FeatureRow> calibration, RoutingConfig config, bool baseline)
    {
        var ml = new MLContext(seed: config.Seed);
        var data = Examples.Load(ml, train.Select(r => new Example { Label = r.Label, Features = space.Vector(r) }), space.SlotNames.Count);
        IEstimator<ITransformer> pipeline = baseline
            ? ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: "Label", featureColumnName: "Features"))
            : ml.Transforms.CopyColumns("Features", "Features").Append(ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                // One thread: on a 2-core machine LightGBM's run time with two swings from seconds to minutes.
                NumberOfThreads = 1,
                Seed = config.Seed,
                Deterministic = true,
                NumberOfIterations = 300,
                LearningRate = 0.05,
                NumberOfLeaves = 31,
                MinimumExampleCountPerLeaf = 20,
            }));
        var model = pipeline.Fit(data);
        var uncalibrated = new ReviewModel(ml, model, data.Schema, space, new PlattScaling(-1, 0), baseline ? "logistic" : "lightgbm");
        var platt = PlattScaling.Fit(uncalibrated.RawScores(calibration), calibration.Select(r => r.Label).ToArray());
        return new ReviewModel(ml, model, data.Schema, space, platt, uncalibrated.Kind);
    }
}

/// <summary>How a trained model does on the test period (the latest months), next to the baseline, and its routing policy.</summary>
public sealed record TrainingReport
{
    /// <summary>Population cases in each period.</summary>
    public int TrainCases { get; init; }
    /// <inheritdoc cref="TrainCases"/>
    public int CalibrationCases { get; init; }
    /// <inheritdoc cref="TrainCases"/>
    public int TestCases { get; init; }
    /// <summary>All orders reaching the decision point in the test period: the review ratio's denominator.</summary>
    public int AllOrdersInTest { get; init; }
    /// <summary>Start of the test period.</summary>
    public DateTime TestFromUtc { get; init; }
    /// <summary>ROC AUC of LightGBM on the test period.</summary>
    public double Auc { get; init; }
    /// <summary>Precision–recall AUC (average precision).</summary>
    public double PrAuc { get; init; }
    /// <summary>Brier score of the calibrated probabilities.</summary>
    public double Brier { get; init; }
    /// <summary>ROC AUC of the logistic-regression baseline.</summary>
    public double BaselineAuc { get; init; }
    /// <summary>PR AUC of the baseline.</summary>
    public double BaselinePrAuc { get; init; }
    /// <summary>Recall of needed reviews when that share of all orders goes to a PM, highest scores first.</summary>
    public IReadOnlyDictionary<double, double> RecallAtReviewRatio { get; init; } = new Dictionary<double, double>();
    /// <summary>The same for the baseline.</summary>
    public IReadOnlyDictionary<double, double> BaselineRecallAtReviewRatio { get; init; } = new Dictionary<double, double>();
    /// <summary>The policy's threshold: population orders at or above it go to a PM.</summary>
    public double Threshold { get; init; }
    /// <summary>Share of all test orders the policy sends to a PM.</summary>
    public double ReviewRatio { get; init; }
    /// <summary>The miss rate certified on the calibration period (Clopper–Pearson upper bound at 1 − δ).</summary>
    public double MissRateUpperBound { get; init; }
    /// <summary>The miss rate the policy had on the test period.</summary>
    public double ObservedTestMissRate { get; init; }
    /// <summary>Orders that needed review, as a share of all test orders.</summary>
    public double TestReviewNeededShare { get; init; }
    /// <summary>Population (e.g. controlled-product orders) as a share of all test orders: the as-is review ratio.</summary>
    public double PopulationShare { get; init; }
    /// <summary>At a PM capacity of 15% of all orders: the threshold chosen on the calibration period.</summary>
    public double CapacityThreshold { get; init; }
    /// <summary>The miss rate certified at that capacity (Clopper–Pearson upper bound at 1 − δ on the calibration period).</summary>
    public double CapacityMissRateUpperBound { get; init; }
    /// <summary>Share of all test orders that threshold sends to a PM.</summary>
    public double CapacityReviewRatio { get; init; }
    /// <summary>Miss rate of that threshold on the test period.</summary>
    public double CapacityTestMissRate { get; init; }
    /// <summary>Recall of needed reviews of that threshold on the test period.</summary>
    public double CapacityTestRecall { get; init; }
    /// <summary>Target miss rate.</summary>
    public double Alpha { get; init; }
    /// <summary>1 − confidence.</summary>
    public double Delta { get; init; }
    /// <summary>Length of the feature vector.</summary>
    public int Features { get; init; }
}
