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
        o.WriteLine($"model served: {report.Kind} (out-of-fold AUC: LightGBM {report.OutOfFoldAucLightGbm:F3}, logistic baseline {report.OutOfFoldAucBaseline:F3})");
        o.WriteLine($"test months: AUC {report.Auc:F3} (LightGBM {report.LightGbmAuc:F3}, baseline {report.BaselineAuc:F3}), PR-AUC {report.PrAuc:F3}, Brier {report.Brier:F4}");
        foreach (var (ratio, recall) in report.RecallAtReviewRatio)
            o.WriteLine($"  recall at review ratio {ratio:P0}: {recall:P1} (baseline {report.BaselineRecallAtReviewRatio[ratio]:P1})");
        foreach (var f in t.Audit.Findings)
            o.WriteLine(f.AcceptedBecause is not null
                ? $"leakage audit: {f.Key} kept ({f.AcceptedBecause}) although {f.Evidence}"
                : $"leakage audit, to check: {f.Key}: {f.Evidence} — make sure it is known at the decision");
        if (t.Audit.Findings.Count == 0)
            o.WriteLine($"leakage audit: no feature reveals the outcome (each alone: AUC {t.Audit.SingleFeatureAuc.Values.DefaultIfEmpty(0.5).Min():0.000}–{t.Audit.SingleFeatureAuc.Values.DefaultIfEmpty(0.5).Max():0.000})");
        o.WriteLine($"stored as model version {t.Version}{(t.Activated ? " (active)" : " (not activated)")}");
        foreach (var line in PolicyWords.Lines(report))
            o.WriteLine(line);
        o.WriteLine("operating curve (certified out of fold on the months before the test period; measured on the test months):");
        foreach (var line in PolicyWords.Curve(report))
            o.WriteLine("  " + line);
    }

    private static object Json(TrainedModel t)
    {
        var report = t.Report;
        static string Key(double r) => r.ToString("0.00", CultureInfo.InvariantCulture);
        return new
        {
            kind = report.Kind,
            auc = report.Auc,
            lightGbmAuc = report.LightGbmAuc,
            outOfFoldAuc = new { lightGbm = report.OutOfFoldAucLightGbm, baseline = report.OutOfFoldAucBaseline },
            prAuc = report.PrAuc,
            brier = report.Brier,
            baselineAuc = report.BaselineAuc,
            baselinePrAuc = report.BaselinePrAuc,
            recallAtReviewRatio = report.RecallAtReviewRatio.ToDictionary(p => Key(p.Key), p => p.Value),
            baselineRecallAtReviewRatio = report.BaselineRecallAtReviewRatio.ToDictionary(p => Key(p.Key), p => p.Value),
            policy = new
            {
                mode = report.Mode,
                certified = report.Certified,
                threshold = report.Threshold,
                reviewRatio = report.ReviewRatio,
                missRateUpperBound = report.MissRateUpperBound,
                boundOrders = report.BoundOrders,
                boundMisses = report.BoundMisses,
                alpha = report.Alpha,
                delta = report.Delta,
                observedTestMissRate = report.ObservedTestMissRate,
                recall = report.TestRecall,
                smallestCertifiableAlpha = report.SmallestCertifiableAlpha,
                ordersNeededForAlpha = report.OrdersNeededForAlpha,
            },
            atTargetReviewRatio = new
            {
                target = report.TargetReviewRatio,
                threshold = report.CapacityThreshold,
                reviewRatio = report.CapacityReviewRatio,
                missRateUpperBound = report.CapacityMissRateUpperBound,
                observedTestMissRate = report.CapacityTestMissRate,
                recall = report.CapacityTestRecall,
            },
            asIsReviewRatio = report.PopulationShare,
            reviewNeededShare = report.TestReviewNeededShare,
            cases = new { beforeTest = report.TrainCases, folds = report.Folds, test = report.TestCases, allOrdersInTest = report.AllOrdersInTest, allOrdersBeforeTest = report.AllOrdersBeforeTest },
            leakageAudit = new { singleFeatureAuc = t.Audit.SingleFeatureAuc, findings = t.Audit.Findings },
            curve = report.Curve,
            alphaCurve = report.AlphaCurve,
            testFrom = report.TestFromUtc,
            features = report.Features,
            modelVersion = t.Version,
            activated = t.Activated,
            config = t.ConfigSource,
        };
    }
}
