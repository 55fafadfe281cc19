using System.Text.Json;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Routing;
using Analytics.Ml;
using Analytics.Storage.Mining;
using Analytics.Storage.Routing;
using Analytics.Storage.Spc;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics demo</c>: the main job on the default database, on the committed simulated sample from
/// <c>data-samples/</c>: load it (again-safe: a file loaded before is skipped), mine where orders wait in Shanghai
/// office hours, run the SPC monitor, train the review-need model with its routing policy, and route an example order.
/// </summary>
internal static class DemoVerb
{
    private const string Sample = "special-price-2000.csv";

    public static async Task<int> RunAsync(CommandLine line, VerbContext context, CancellationToken cancellationToken)
    {
        line.Allow();
        var samples = SampleFolder.Find()
            ?? throw new UsageException("demo: cannot find the data-samples folder (run from the repository or next to the build)");
        using var store = context.OpenStore();
        var results = await IngestVerb.IngestAsync(store, [Path.Combine(samples, Sample)], null, context.IngestOptions, context.Time, !line.Json, cancellationToken);
        if (results.Any(r => r.Status == Storage.Ingestion.ImportStatus.Rejected))
        {
            Console.Error.WriteLine($"demo: {results[0].Reason}");
            return ExitCodes.Failed;
        }
        var stats = store.Statistics();

        var miner = new ProcessMiner(store);
        var nodes = miner.Nodes(MiningFilter.All, BuiltInCalendars.CnShanghai).Take(3).ToList();
        var cases = miner.Cases(MiningFilter.All, BuiltInCalendars.CnShanghai);
        var monitor = new SpcMonitor(store, context.Time);
        var (signals, _) = monitor.Run(context.Settings.SpcCharts, CalendarOption.Resolve, cancellationToken);
        var spcTotal = monitor.RecordedSignals();

        // Train once: a rerun on an unchanged store reuses the active model instead of adding versions.
        var config = TrainVerb.LoadConfig(Path.Combine(samples, "routing", "special-price.routing.json"));
        var active = results[0].Status == Storage.Ingestion.ImportStatus.Loaded ? null : ActiveModel.Load(store);
        TrainingReport report;
        if (active is null)
        {
            var (trained, fresh) = ReviewModelTrainer.Train(RoutingDataset.Read(store, config), config);
            using (trained)
                TrainVerb.Register(store, trained, fresh, config, context.Time, activate: true);
            active = ActiveModel.Load(store)!;
            report = fresh;
        }
        else
            report = JsonSerializer.Deserialize<TrainingReport>(new Storage.Routing.ModelRegistry(store).Active()!.Metrics, JsonOutput.Options)!;
        using (active.Model)
        {
            var version = active.Version;
            using var orderJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(samples, "routing", "example-order.json"), cancellationToken));
            var suggestion = active.Suggest(store, OrderJson.Parse(orderJson.RootElement, context.Time.GetUtcNow().UtcDateTime));

            // The weekly report of the latest complete week, beside the database.
            var latest = store.LatestEventUtc();
            var zone = BuiltInCalendars.CnShanghai.TimeZone;
            var lastWeekMonday = TimeZoneInfo.ConvertTimeFromUtc(latest, zone).Date.AddDays(-7);
            var week = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{System.Globalization.ISOWeek.GetYear(lastWeekMonday)}-W{System.Globalization.ISOWeek.GetWeekOfYear(lastWeekMonday):00}");
            var reportFolder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(store.Path == ":memory:" ? "." : store.Path))!, "reports", week);
            var reportPaths = ReportVerb.Write(store, week, reportFolder, "en", BuiltInCalendars.CnShanghai, 40,
                ReportVerb.LoadPolicy(Path.Combine(samples, "policies", "special-price.policy.json")));

            // What if PMs reviewed 15% of orders? Back-tested on the last quarter of the sample.
            var whatIf = new WhatIfRequest { Calendar = "cn-shanghai", Exclude = ["Bid won"], RouteBy = "controlled", Replications = 10 }
                .Execute(store, WhatIfVerb.ReadScenario(Path.Combine(samples, "scenarios", "pm-review-15pct.json")), cancellationToken);
            var pmChange = whatIf.Result!.Delta.Roles.Single(r => r.Node == "PRODUCT_MANAGER").P90WaitHours;

            if (line.Json)
            {
                JsonOutput.Write(new
                {
                    database = store.Path,
                    files = results.Select(r => new { path = r.Path, status = IngestVerb.Status(r.Status), events = r.Events, reason = r.Reason }),
                    cases = stats.Cases,
                    events = stats.Events,
                    activities = stats.Activities,
                    throughputBusinessHours = new { median = cases.Business!.MedianSeconds / 3600, p90 = cases.Business.P90Seconds / 3600 },
                    longestWaits = nodes.Select(n => new { node = n.Node, p90BusinessHours = n.BusinessWaiting!.P90Seconds / 3600, share = n.WaitingShare }),
                    spcSignals = new { recorded = spcTotal, newNow = signals.Count },
                    model = new { version, auc = report.Auc, recallAt15 = report.RecallAtReviewRatio[0.15], reviewRatio = report.ReviewRatio, missRateUpperBound = report.MissRateUpperBound },
                    exampleSuggestion = suggestion,
                    report = reportPaths[2],
                    whatIf = new
                    {
                        scenario = whatIf.Result.Scenario.Name,
                        pmP90WaitChangeHours = pmChange.Mean,
                        pmP90WaitChangeCi95 = new[] { pmChange.Low, pmChange.High },
                        backTestP50ErrorPct = whatIf.BackTest.Validation.P50ErrorPct,
                        backTestP90ErrorPct = whatIf.BackTest.Validation.P90ErrorPct,
                    },
                });
                return ExitCodes.Ok;
            }
            foreach (var r in results)
                Console.WriteLine($"{IngestVerb.Status(r.Status),-18} {Path.GetFileName(r.Path)}: {r.Events:N0} events added{(r.Reason is null ? "" : " (" + r.Reason + ")")}");
            Console.WriteLine($"{store.Path}: {stats.Cases:N0} cases, {stats.Events:N0} events, {stats.Activities:N0} activities");
            Console.WriteLine($"throughput in Shanghai office hours: median {cases.Business!.MedianSeconds / 3600:F1} h, p90 {cases.Business.P90Seconds / 3600:F1} h");
            Console.WriteLine("where orders wait longest (share of all waiting, p90 in office hours):");
            foreach (var n in nodes)
                Console.WriteLine($"  {n.Node}: {n.WaitingShare:P1}, p90 {n.BusinessWaiting!.P90Seconds / 3600:F1} h");
            Console.WriteLine($"SPC monitor: {spcTotal:N0} signals recorded ({signals.Count:N0} new) — see analytics spc");
            Console.WriteLine($"review-need model v{version}: AUC {report.Auc:F3}, recall at a 15% review ratio {report.RecallAtReviewRatio[0.15]:P1}; " +
                              $"policy review ratio {report.ReviewRatio:P1} with miss rate ≤ {report.MissRateUpperBound:P1} (as-is {report.PopulationShare:P1})");
            Console.WriteLine($"weekly report for {week}: {reportPaths[2]}");
            Console.WriteLine($"what if PMs reviewed 15% of orders: PM p90 wait {pmChange.Mean:+0.0;-0.0} h (95% {pmChange.Low:+0.0;-0.0} to {pmChange.High:+0.0;-0.0}); " +
                              $"back-test on the held-out quarter: p50/p90 end-to-end error {whatIf.BackTest.Validation.P50ErrorPct:+0;-0}%/{whatIf.BackTest.Validation.P90ErrorPct:+0;-0}% (analytics whatif run --scenario data-samples/scenarios/pm-review-15pct.json)");
            Console.WriteLine($"example order {suggestion.CaseId}: {suggestion.Route} (p = {suggestion.Probability:F2}){(suggestion.Reasons.Count > 0 ? " because " + string.Join("; ", suggestion.Reasons) : "")}");
        }
        return ExitCodes.Ok;
    }
}
