using System.Globalization;
using Analytics.Core.Routing;
using Analytics.Ml;
using Analytics.Storage.Routing;
using Analytics.Worker.Cli;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics train --config FILE</c>: trains the review-need model and its routing policy, reports test-period metrics.</summary>
internal static class TrainVerb
{
    public static int Run(CommandLine line, VerbContext context)
    {
        line.Allow("config");
        var config = LoadConfig(line.Required("config"));
        using var store = context.OpenStore();
        var cases = RoutingDataset.Read(store, config);
        TrainingReport report;
        ReviewModel model;
        try
        {
            (model, report) = ReviewModelTrainer.Train(cases, config);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("train: " + ex.Message);
        }
        var version = Register(store, model, report, config, context.Time, activate: true);
        static string Key(double r) => r.ToString("0.00", CultureInfo.InvariantCulture);
        var json = new
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
            modelVersion = version,
        };
        if (line.Json)
            JsonOutput.Write(json);
        else
        {
            Console.WriteLine($"test period from {report.TestFromUtc:yyyy-MM-dd}: {report.TestCases:N0} decisions of {report.AllOrdersInTest:N0} orders");
            Console.WriteLine($"LightGBM AUC {report.Auc:F3} (baseline {report.BaselineAuc:F3}), PR-AUC {report.PrAuc:F3}, Brier {report.Brier:F4}");
            foreach (var (ratio, recall) in report.RecallAtReviewRatio)
                Console.WriteLine($"  recall at review ratio {ratio:P0}: {recall:P1} (baseline {report.BaselineRecallAtReviewRatio[ratio]:P1})");
            Console.WriteLine($"stored as model version {version} (active)");
            Console.WriteLine($"at 15% PM capacity: threshold {report.CapacityThreshold:F4} → review ratio {report.CapacityReviewRatio:P1}, recall {report.CapacityTestRecall:P1}, miss rate ≤ {report.CapacityMissRateUpperBound:P2} certified (test {report.CapacityTestMissRate:P2})");
            Console.WriteLine($"policy: threshold {report.Threshold:F4} → review ratio {report.ReviewRatio:P1}, miss rate ≤ {report.MissRateUpperBound:P2} with {1 - report.Delta:P0} confidence (test: {report.ObservedTestMissRate:P2}); as-is {report.PopulationShare:P1}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Stores a trained model as a new version.</summary>
    internal static int Register(Storage.EventStore store, ReviewModel model, TrainingReport report, RoutingConfig config, TimeProvider time, bool activate)
    {
        using var pipeline = new MemoryStream();
        model.Save(pipeline);
        return new ModelRegistry(store).Add(new ModelRecord(0, time.GetUtcNow(), model.Kind,
            System.Text.Json.JsonSerializer.Serialize(config, JsonOutput.Options), System.Text.Json.JsonSerializer.Serialize(model.Space, JsonOutput.Options),
            model.Calibration.A, model.Calibration.B, report.Threshold, System.Text.Json.JsonSerializer.Serialize(report, JsonOutput.Options),
            pipeline.ToArray(), activate), activate);
    }

    internal static RoutingConfig LoadConfig(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return RoutingConfig.Parse(stream, path);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            throw new UsageException(ex.Message);
        }
    }
}
