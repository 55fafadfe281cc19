using Analytics.Core.Routing;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

namespace Analytics.Ml;

/// <summary>
/// Trains the review-need model on a time-ordered split — every month before the test period to fit and certify, the
/// latest months to test — and compares LightGBM with a logistic-regression baseline. The guarantee is cross-fitted:
/// the orders before the test period are split into folds (by a hash of the case id), each fold is scored by a model
/// trained on the others, and those out-of-fold scores calibrate the probabilities (Platt scaling) and certify the
/// routing policy (Learn then Test); the model kept is trained on all of them. So certification rests on every
/// labelled order and takes none from training. LightGBM runs on one thread: deterministic, and steady on a 2-core
/// machine.
/// </summary>
public static class ReviewModelTrainer
{
    /// <summary>Review ratios (share of all orders sent to a PM) at which recall is reported.</summary>
    public static IReadOnlyList<double> ReviewRatios { get; } = [0.10, 0.15, 0.20, 0.25, 0.43];

    /// <summary>Review ratios of the operating curve.</summary>
    public static IReadOnlyList<double> CurveRatios { get; } = [0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45];

    /// <summary>Miss-rate targets α of the operating curve.</summary>
    public static IReadOnlyList<double> CurveAlphas { get; } = [0.005, 0.01, 0.02, 0.03, 0.05, 0.10];

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
        var fit = rows.Where(r => r.DecisionUtc < testFrom).ToList();
        var test = rows.Where(r => r.DecisionUtc >= testFrom).ToList();
        if (fit.Count < 50 || test.Count == 0 || fit.All(r => r.Label) || fit.All(r => !r.Label))
            throw new ArgumentException($"the time split left {fit.Count} cases before the test period and {test.Count} in it (at least 50 before, with both outcomes, are needed); the log needs more months, or a shorter testMonths");

        var space = FeatureSpace.Learn(fit);
        // Out-of-fold raw scores: each fold scored by a model that never saw it.
        var folds = Math.Clamp(config.Folds, 2, 20);
        var fold = fit.Select(r => StableHash.Fold(r.CaseId, folds)).ToArray();
        double[] OutOfFold(bool baseline)
        {
            var raw = new double[fit.Count];
            for (var k = 0; k < folds; k++)
            {
                var inFold = Enumerable.Range(0, fit.Count).Where(i => fold[i] == k).ToList();
                var others = Enumerable.Range(0, fit.Count).Where(i => fold[i] != k).Select(i => fit[i]).ToList();
                if (inFold.Count == 0 || others.All(r => r.Label) || others.All(r => !r.Label))
                    throw new ArgumentException($"fold {k + 1} of {folds} has no orders, or the rest only one outcome: too few cases for {folds} folds");
                using var foldModel = Fit(space, others, baseline, config.Seed, PlattScaling.Identity);
                var scores = foldModel.RawScores(inFold.Select(i => fit[i]).ToList());
                for (var j = 0; j < inFold.Count; j++)
                    raw[inFold[j]] = scores[j];
            }
            return raw;
        }
        var oofRaw = OutOfFold(baseline: false);
        // The baseline out of fold too: where it ranks better than LightGBM (little is known at the decision, and trees
        // learn noise), it is the model served, so what routes is never worse than the baseline out of fold.
        var oofBaseRaw = OutOfFold(baseline: true);
        var fitLabels = fit.Select(r => r.Label).ToArray();
        var oofAucLightGbm = RankingMetrics.Auc(oofRaw, fitLabels);
        var oofAucBaseline = RankingMetrics.Auc(oofBaseRaw, fitLabels);
        var useBaseline = oofAucBaseline > oofAucLightGbm + 0.005;
        var servedRaw = useBaseline ? oofBaseRaw : oofRaw;
        var platt = PlattScaling.Fit(servedRaw, fitLabels);
        var oofP = servedRaw.Select(platt.Probability).ToArray();
        using var other = Fit(space, fit, baseline: !useBaseline, config.Seed, PlattScaling.Identity);
        var served = Fit(space, fit, baseline: useBaseline, config.Seed, platt);
        var logistic = useBaseline ? served : other;
        var lightGbmModel = useBaseline ? other : served;

        var allInFit = cases.Count(c => c.DecisionUtc < testFrom);
        var byId = cases.Where(c => c.InPopulation).GroupBy(c => c.CaseId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var allInTest = cases.Count(c => c.DecisionUtc >= testFrom);
        var testLabels = test.Select(r => r.Label).ToArray();
        var p = served.Probabilities(test);
        var pBase = logistic.RawScores(test);
        var pLightGbm = lightGbmModel.RawScores(test);

        // A review ratio of all orders is this share of the population (the population is a part of all orders).
        double PopulationShareOf(double ratio) => Math.Min(1, ratio * allInFit / Math.Max(1, fit.Count));
        // What a threshold does on the test months through the whole policy, as orders are routed: the forced-review
        // rules and the audit share send orders to a PM beside the score.
        var testCases = test.Select(r => byId[r.CaseId]).ToList();
        TestOutcome OnTest(double threshold)
        {
            var review = Enumerable.Range(0, test.Count)
                .Select(i => RoutingSuggestion.Decide(test[i].CaseId, testCases[i].Attributes, config, p[i], threshold, [], 0).Route == "pm-review").ToArray();
            var past = Enumerable.Range(0, test.Count).Where(i => !review[i]).ToList();
            var needed = testLabels.Count(l => l);
            var caught = Enumerable.Range(0, test.Count).Count(i => testLabels[i] && review[i]);
            return new TestOutcome(
                allInTest == 0 ? 0 : (double)(test.Count - past.Count) / allInTest,
                past.Count == 0 ? 0 : past.Count(i => testLabels[i]) / (double)past.Count,
                needed == 0 ? 1 : (double)caught / needed,
                past.Count);
        }
        double AllOrdersReviewRatio(Certification c) => allInFit == 0 ? 0 : c.ReviewShare * fit.Count / allInFit;

        var target = config.TargetReviewRatioOrDefault;
        var atTarget = MissRateGuarantee.AtReviewShare(oofP, fitLabels, PopulationShareOf(target), config.Delta);
        var atAlpha = MissRateGuarantee.Choose(oofP, fitLabels, config.Alpha, config.Delta);
        var policy = config.Mode == RoutingMode.Capacity ? atTarget : atAlpha;
        var policyOnTest = OnTest(policy.Threshold);
        var curve = CurveRatios.Select(r =>
        {
            var c = MissRateGuarantee.AtReviewShare(oofP, fitLabels, PopulationShareOf(r), config.Delta);
            return new OperatingPoint(r, c.Threshold, c.MissRateUpperBound, c.RoutedPast, OnTest(c.Threshold));
        }).ToList();
        var alphas = CurveAlphas.Select(a =>
        {
            var c = MissRateGuarantee.Choose(oofP, fitLabels, a, config.Delta);
            return new AlphaPoint(a, c.Certified, c.Certified ? AllOrdersReviewRatio(c) : 1, c.Threshold, c.MissRateUpperBound, c.RoutedPast,
                c.Certified ? OnTest(c.Threshold) : null);
        }).ToList();
        var targetOnTest = OnTest(atTarget.Threshold);
        var report = new TrainingReport
        {
            TrainCases = fit.Count,
            Folds = folds,
            TestCases = test.Count,
            AllOrdersInTest = allInTest,
            AllOrdersBeforeTest = allInFit,
            TestFromUtc = testFrom,
            Kind = served.Kind,
            OutOfFoldAuc = useBaseline ? oofAucBaseline : oofAucLightGbm,
            OutOfFoldAucLightGbm = oofAucLightGbm,
            OutOfFoldAucBaseline = oofAucBaseline,
            LightGbmAuc = RankingMetrics.Auc(pLightGbm, testLabels),
            Auc = RankingMetrics.Auc(p, testLabels),
            PrAuc = RankingMetrics.AveragePrecision(p, testLabels),
            Brier = RankingMetrics.Brier(p, testLabels),
            BaselineAuc = RankingMetrics.Auc(pBase, testLabels),
            BaselinePrAuc = RankingMetrics.AveragePrecision(pBase, testLabels),
            RecallAtReviewRatio = ReviewRatios.ToDictionary(r => r, r => RankingMetrics.RecallAtBudget(p, testLabels, (int)Math.Round(r * allInTest))),
            BaselineRecallAtReviewRatio = ReviewRatios.ToDictionary(r => r, r => RankingMetrics.RecallAtBudget(pBase, testLabels, (int)Math.Round(r * allInTest))),
            Mode = config.Mode,
            Threshold = policy.Threshold,
            // In capacity mode "certified" means a bound rests on orders routed past (whatever its value); in α mode, that it reaches α.
            Certified = policy.Certified && policy.RoutedPast > 0 && (config.Mode == RoutingMode.Capacity || policy.MissRateUpperBound <= config.Alpha),
            ReviewRatio = policyOnTest.ReviewRatio,
            MissRateUpperBound = policy.MissRateUpperBound,
            BoundOrders = policy.RoutedPast,
            BoundMisses = policy.Misses,
            ObservedTestMissRate = policyOnTest.MissRate,
            TestRecall = policyOnTest.Recall,
            SmallestCertifiableAlpha = MissRateGuarantee.SmallestCertifiableAlpha(oofP, fitLabels, config.Delta),
            OrdersNeededForAlpha = atAlpha.Certified ? null : MissRateGuarantee.OrdersNeeded(oofP, fitLabels, config.Alpha, config.Delta),
            TestReviewNeededShare = allInTest == 0 ? 0 : testLabels.Count(l => l) / (double)allInTest,
            PopulationShare = allInTest == 0 ? 0 : test.Count / (double)allInTest,
            TargetReviewRatio = target,
            CapacityThreshold = atTarget.Threshold,
            CapacityMissRateUpperBound = atTarget.MissRateUpperBound,
            CapacityReviewRatio = targetOnTest.ReviewRatio,
            CapacityTestMissRate = targetOnTest.MissRate,
            CapacityTestRecall = targetOnTest.Recall,
            Curve = curve,
            AlphaCurve = alphas,
            Alpha = config.Alpha,
            Delta = config.Delta,
            Features = space.SlotNames.Count,
        };
        return (served, report);
    }


    private static ReviewModel Fit(FeatureSpace space, IReadOnlyList<FeatureRow> train, bool baseline, int seed, PlattScaling calibration)
    {
        var ml = new MLContext(seed: seed);
        var data = Examples.Load(ml, train.Select(r => new Example { Label = r.Label, Features = space.Vector(r) }), space.SlotNames.Count);
        IEstimator<ITransformer> pipeline = baseline
            ? ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: "Label", featureColumnName: "Features"))
            : ml.Transforms.CopyColumns("Features", "Features").Append(ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                // One thread: on a 2-core machine LightGBM's run time with two swings from seconds to minutes.
                NumberOfThreads = 1,
                Seed = seed,
                Deterministic = true,
                // 200 trees of at most 15 leaves holding 50 orders each: on the demo data as good as 300 × 31 × 20
                // (test AUC 0.972 against 0.969), and less prone to learn noise where little is known at the decision
                // (RequestForPayment 0.612 against 0.600).
                NumberOfIterations = 200,
                LearningRate = 0.05,
                NumberOfLeaves = 15,
                MinimumExampleCountPerLeaf = 50,
            }));
        var model = pipeline.Fit(data);
        return new ReviewModel(ml, model, data.Schema, space, calibration, baseline ? "logistic" : "lightgbm");
    }
}

/// <summary>How a trained model does on the test period (the latest months), next to the baseline, and its routing policy.</summary>
public sealed record TrainingReport
{
    /// <summary>Population cases before the test period: trained on, and (out of fold) certifying the policy.</summary>
    public int TrainCases { get; init; }
    /// <summary>Folds of the cross-fitting.</summary>
    public int Folds { get; init; }
    /// <summary>Population cases in the test period.</summary>
    public int TestCases { get; init; }
    /// <summary>All orders reaching the decision point in the test period: the review ratio's denominator.</summary>
    public int AllOrdersInTest { get; init; }
    /// <summary>All orders reaching the decision point before the test period.</summary>
    public int AllOrdersBeforeTest { get; init; }
    /// <summary>Start of the test period.</summary>
    public DateTime TestFromUtc { get; init; }
    /// <summary>The kind of model served: lightgbm, or logistic where the baseline ranked better out of fold.</summary>
    public string Kind { get; init; } = "lightgbm";
    /// <summary>Out-of-fold AUC of the model served, on the orders before the test period.</summary>
    public double OutOfFoldAuc { get; init; }
    /// <summary>Out-of-fold AUC of LightGBM.</summary>
    public double OutOfFoldAucLightGbm { get; init; }
    /// <summary>Out-of-fold AUC of the baseline.</summary>
    public double OutOfFoldAucBaseline { get; init; }
    /// <summary>ROC AUC of LightGBM on the test period (equal to <see cref="Auc"/> when it is the model served).</summary>
    public double LightGbmAuc { get; init; }
    /// <summary>ROC AUC of the model served on the test period.</summary>
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
    /// <summary>How the policy's threshold was chosen.</summary>
    public RoutingMode Mode { get; init; }
    /// <summary>The policy's threshold: population orders at or above it go to a PM.</summary>
    public double Threshold { get; init; }
    /// <summary>Whether the policy's miss rate is certified (α mode: at most α; capacity mode: some orders routed past with a bound).</summary>
    public bool Certified { get; init; }
    /// <summary>Share of all test orders the policy sends to a PM.</summary>
    public double ReviewRatio { get; init; }
    /// <summary>The certified miss rate (Clopper–Pearson upper bound at 1 − δ on the out-of-fold scores).</summary>
    public double MissRateUpperBound { get; init; }
    /// <summary>Orders routed past (out of fold) that the bound rests on.</summary>
    public int BoundOrders { get; init; }
    /// <summary>Of those, the ones that needed review.</summary>
    public int BoundMisses { get; init; }
    /// <summary>The miss rate the policy had on the test period.</summary>
    public double ObservedTestMissRate { get; init; }
    /// <summary>Recall of needed reviews of the policy on the test period.</summary>
    public double TestRecall { get; init; }
    /// <summary>The smallest α some threshold certifies on these orders (null: none up to 50%).</summary>
    public double? SmallestCertifiableAlpha { get; init; }
    /// <summary>When α is not certified: roughly how many labelled population orders in all would certify it if the miss rates seen held (null: certified, or no amount would).</summary>
    public long? OrdersNeededForAlpha { get; init; }
    /// <summary>Orders that needed review, as a share of all test orders.</summary>
    public double TestReviewNeededShare { get; init; }
    /// <summary>Population (e.g. controlled-product orders) as a share of all test orders: the as-is review ratio.</summary>
    public double PopulationShare { get; init; }
    /// <summary>The review ratio the profile targets (PM capacity).</summary>
    public double TargetReviewRatio { get; init; }
    /// <summary>At the target review ratio: the threshold chosen out of fold.</summary>
    public double CapacityThreshold { get; init; }
    /// <summary>The miss rate certified at that ratio.</summary>
    public double CapacityMissRateUpperBound { get; init; }
    /// <summary>Share of all test orders that threshold sends to a PM.</summary>
    public double CapacityReviewRatio { get; init; }
    /// <summary>Miss rate of that threshold on the test period.</summary>
    public double CapacityTestMissRate { get; init; }
    /// <summary>Recall of needed reviews of that threshold on the test period.</summary>
    public double CapacityTestRecall { get; init; }
    /// <summary>The operating curve by review ratio (5–45% of all orders).</summary>
    public IReadOnlyList<OperatingPoint> Curve { get; init; } = [];
    /// <summary>The operating curve by α: the review ratio each target buys.</summary>
    public IReadOnlyList<AlphaPoint> AlphaCurve { get; init; } = [];
    /// <summary>Target miss rate.</summary>
    public double Alpha { get; init; }
    /// <summary>1 − confidence.</summary>
    public double Delta { get; init; }
    /// <summary>Length of the feature vector.</summary>
    public int Features { get; init; }
}

/// <summary>What a threshold did on the test period.</summary>
/// <param name="ReviewRatio">Share of all test orders sent to a PM.</param>
/// <param name="MissRate">Needed reviews among the test orders routed past.</param>
/// <param name="Recall">Needed reviews that reached a PM.</param>
/// <param name="RoutedPast">Test orders routed past.</param>
public sealed record TestOutcome(double ReviewRatio, double MissRate, double Recall, int RoutedPast);

/// <summary>One point of the operating curve by review ratio.</summary>
/// <param name="ReviewRatio">Share of all orders sent to a PM (chosen out of fold).</param>
/// <param name="Threshold">The threshold that sends it.</param>
/// <param name="MissRateUpperBound">The certified miss rate at 1 − δ.</param>
/// <param name="BoundOrders">Orders routed past the bound rests on.</param>
/// <param name="Test">The threshold on the test period.</param>
public sealed record OperatingPoint(double ReviewRatio, double Threshold, double MissRateUpperBound, int BoundOrders, TestOutcome Test);

/// <summary>One point of the operating curve by α.</summary>
/// <param name="Alpha">The miss rate asked for.</param>
/// <param name="Certified">Whether some threshold certifies it.</param>
/// <param name="ReviewRatio">The share of all orders it sends to a PM (out of fold; 1 when not certified: review everything).</param>
/// <param name="Threshold">Its threshold.</param>
/// <param name="MissRateUpperBound">The bound reached.</param>
/// <param name="BoundOrders">Orders routed past the bound rests on.</param>
/// <param name="Test">The threshold on the test period (null when not certified).</param>
public sealed record AlphaPoint(double Alpha, bool Certified, double ReviewRatio, double Threshold, double MissRateUpperBound, int BoundOrders, TestOutcome? Test);
