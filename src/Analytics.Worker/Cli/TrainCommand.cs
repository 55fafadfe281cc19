using System.CommandLine;
using System.Globalization;
using Analytics.Application.Models;
using Analytics.Ml;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics train</c>: trains the review-need model and its routing policy on the profile's routing decision, reports test-period metrics.</summary>
internal static class TrainCommand
{
    public const string Name = "train";

    public const string Description = "Train the review-need model and its routing policy; stored as a new active model version.";

    public static Command Create(CliContext context)
    {
        var config = Options.Text("--config", "A routing configuration (decision point, population, label, features; see data-samples/routing/) instead of the profile's routing decision.", "FILE");
        var command = new Command(Name, Description) { config };
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new ModelService(store, context.Time).TrainAsync(parse.GetValue(config), Activation.Always, ct);
            return context.Report(parse, result, t => Print(context, t), Json);
        });
        return command;
    }

    private static void Print(CliContext context, TrainedModel t)
    {
        var report = t.Report;
        var o = context.Out;
        o.WriteLine($"routing decision from {t.ConfigSource}");
        o.WriteLine($"test period from {report.TestFromUtc:yyyy-MM-dd}: {report.TestCases:N0} decisions of {report.AllOrdersInTest:N0} orders");
        o.WriteLine($"LightGBM AUC {report.Auc:F3} (baseline {report.BaselineAuc:F3}), PR-AUC {report.PrAuc:F3}, Brier {report.Brier:F4}");
        foreach (var (ratio, recall) in report.RecallAtReviewRatio)
            o.WriteLine($"  recall at review ratio {ratio:P0}: {recall:P1} (baseline {report.BaselineRecallAtReviewRatio[ratio]:P1})");
        o.WriteLine($"stored as model version {t.Version}{(t.Activated ? " (active)" : " (not activated)")}");
        o.WriteLine($"at 15% review capacity: threshold {report.CapacityThreshold:F4} → review ratio {report.CapacityReviewRatio:P1}, recall {report.CapacityTestRecall:P1}, miss rate ≤ {report.CapacityMissRateUpperBound:P2} certified (test {report.CapacityTestMissRate:P2})");
        o.WriteLine($"policy: threshold {report.Threshold:F4} → review ratio {report.ReviewRatio:P1}, miss rate ≤ {report.MissRateUpperBound:P2} with {1 - report.Delta:P0} confidence (test: {report.ObservedTestMissRate:P2}); as-is {report.PopulationShare:P1}");
    }

    private static object Json(TrainedModel t)
    {
        var report = t.Report;
        static string Key(double r) => r.ToString("0.00", CultureInfo.InvariantCulture);
        return new
        {
            auc = report.Auc,
            prAuc = report.PrAuc,
            brier = report.Brier,
            baselineAuc = report.BaselineAuc,
            baselinePrAuc = report.BaselinePrAuc,
            recallAtReviewRatio = report.RecallAtReviewRatio.ToDictionary(p => Key(p.Key), p => p.Value),
            baselineRecallAtReviewRatio = report.BaselineRecallAtReviewRatio.ToDictionary(p => Key(p.Key), p => p.Value),
            policy = new
            {
                threshold = report.Threshold,
                reviewRatio = report.ReviewRatio,
                missRateUpperBound = report.MissRateUpperBound,
                alpha = report.Alpha,
                delta = report.Delta,
                observedTestMissRate = report.ObservedTestMissRate,
            },
            atCapacity15 = new
            {
                threshold = report.CapacityThreshold,
                reviewRatio = report.CapacityReviewRatio,
                missRateUpperBound = report.CapacityMissRateUpperBound,
                observedTestMissRate = report.CapacityTestMissRate,
                recall = report.CapacityTestRecall,
            },
            asIsReviewRatio = report.PopulationShare,
            reviewNeededShare = report.TestReviewNeededShare,
            cases = new { train = report.TrainCases, calibration = report.CalibrationCases, test = report.TestCases, allOrdersInTest = report.AllOrdersInTest },
            testFrom = report.TestFromUtc,
            features = report.Features,
            modelVersion = t.Version,
            activated = t.Activated,
            config = t.ConfigSource,
        };
    }
}
