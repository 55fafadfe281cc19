using Analytics.Application.Ingestion;
using Analytics.Application.Profiles;
using System.CommandLine;
using Analytics.Application.Demo;
using Analytics.Application.Models;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics demo</c>: the main job on a generated log of 30,000 orders (made once beside the store), on the default
/// database: load it (again-safe: a file loaded before is skipped), profile, mine, monitor, train, route, report, what-if.
/// </summary>
internal static class DemoCommand
{
    public const string Name = "demo";

    public const string Description = "The main job on a generated log of 30,000 special-price orders: load, profile, mine where orders wait, SPC, train, route an order, weekly report, what-if.";

    public static Command Create(CliContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(async (parse, ct) =>
        {
            var samples = SampleFolder.Find();
            if (samples is null)
            {
                context.Error.WriteLine("analytics: demo: cannot find the data-samples folder (run from the repository or next to the build)");
                return ExitCodes.Failed;
            }
            using var store = context.Store(parse, createsStore: true);
            var folder = Path.GetDirectoryName(store.Path == ":memory:" ? Path.GetFullPath(".") + "/x" : Path.GetFullPath(store.Path))!;
            var result = await new DemoService(store, context.Time).RunAsync(samples, Path.Combine(folder, "demo-data"), Path.Combine(folder, "reports"), context.Progress(parse), ct);
            return context.Report(parse, result, d => Print(context, d), Json);
        });
        return command;
    }

    /// <summary>What the demo did, in five lines (load, mine, route, report, what-if), then three commands to try next.</summary>
    private static void Print(CliContext context, DemoRun d)
    {
        var o = context.Out;
        var added = d.Files.Sum(f => f.Events);
        var skipped = d.Files.Where(f => f.Reason is not null).Select(f => $"{Path.GetFileName(f.Path)}: {f.Reason}").ToList();
        o.WriteLine($"loaded {string.Join(", ", d.Files.Select(f => Path.GetFileName(f.Path)))} ({added:N0} events added{(skipped.Count > 0 ? "; " + string.Join("; ", skipped) : "")}) into {d.Database}: " +
                    $"{d.Cases:N0} cases, {d.Events:N0} events; process '{d.Process}' (analytics profile show)");
        var b = d.Throughput.Business;
        var waits = string.Join(", then ", d.LongestWaits.Take(2).Select(n => $"{n.Node} ({n.WaitingShare:0.0%})"));
        o.WriteLine($"mined: end-to-end median {(b ?? d.Throughput.WallClock).MedianSeconds / 3600:F1} h, p90 {(b ?? d.Throughput.WallClock).P90Seconds / 3600:F1} {(b is null ? "wall-clock" : "business")} hours " +
                    $"({d.Calendar}); most waiting before {waits}; the SPC monitor recorded {d.Monitor.RecordedSignals:N0} signals");
        var m = d.Model;
        var policy = m.Certified && m.BoundOrders > 0
            ? $"as is {m.PopulationShare:0.0%} of orders go to a PM; the policy sends {m.ReviewRatio:0.0%} and caught {m.TestRecall:0.0%} of the needed reviews on the test months, " +
              $"miss rate among the rest ≤ {m.MissRateUpperBound:0.00%} ({1 - m.Delta:0%} confidence, {m.BoundOrders:N0} orders)"
            : string.Join(" ", PolicyWords.Lines(m));
        o.WriteLine($"routing model v{d.ModelVersion} (AUC {m.Auc:F3}): {policy}; example order {d.Example.CaseId} → {d.Example.Route}" +
                    (d.Example.Reasons.Count > 0 ? " because " + string.Join("; ", d.Example.Reasons.Take(2)) : ""));
        var findings = Reports.ReportRenderer.Findings(d.Report.Report, d.Report.Language);
        var first = findings.Count > 0 ? findings[0] : null;
        o.WriteLine($"weekly report for {d.Report.Week}: {d.Report.Html}{(first is null ? "" : " — " + first.Text)}");
        if (d.WhatIf.Result is { } w)
        {
            var pm = w.Delta.Roles.Single(r => r.Node == "PRODUCT_MANAGER").P90WaitHours;
            var v = d.WhatIf.BackTest.Validation;
            o.WriteLine($"what if PMs reviewed 15% of orders: PM p90 wait {pm.Mean:+0.0;-0.0} h (95% {pm.Low:+0.0;-0.0} to {pm.High:+0.0;-0.0}); " +
                        $"the model's back-test on the held-out quarter: p50/p90 end-to-end error {v.P50ErrorPct:+0;-0}%/{v.P90ErrorPct:+0;-0}%");
        }
        var db = d.Database == ":memory:" ? "" : $" --db {d.Database}";
        o.WriteLine("try next:");
        o.WriteLine($"  analytics signals --top 10{db}                  the SPC signals the monitor recorded");
        o.WriteLine($"  analytics models{db}                            the routing policy and its operating curve (review ratio against certified miss rate)");
        o.WriteLine($"  analytics whatif run --scenario data-samples/scenarios/pm-leaves.json{db}   what a PM fewer would do to waiting");
    }

    private static object Json(DemoRun d)
    {
        var pm = d.WhatIf.Result?.Delta.Roles.Single(r => r.Node == "PRODUCT_MANAGER").P90WaitHours;
        return new
        {
            database = d.Database,
            files = d.Files.Select(r => new { path = r.Path, status = ImportStatusName.Of(r.Status), events = r.Events, reason = r.Reason }),
            profile = new { name = d.Process, suggested = d.Suggested is { } s ? new { version = s.Version, calendar = s.Profile.Calendar.ToString(), sideActivities = s.Profile.SideActivities, review = s.Profile.Review?.Role } : null },
            cases = d.Cases,
            events = d.Events,
            activities = d.Activities,
            calendar = d.Calendar,
            throughputBusinessHours = d.Throughput.Business is { } b ? new { median = b.MedianSeconds / 3600, p90 = b.P90Seconds / 3600 } : null,
            longestWaits = d.LongestWaits.Select(n => new { node = n.Node, p90BusinessHours = (n.BusinessWaiting ?? n.Waiting).P90Seconds / 3600, share = n.WaitingShare }),
            spcSignals = new { recorded = d.Monitor.RecordedSignals, newNow = d.Monitor.NewSignals.Count },
            log = d.Log,
            model = new
            {
                version = d.ModelVersion,
                auc = d.Model.Auc,
                asIsReviewRatio = d.Model.PopulationShare,
                mode = d.Model.Mode,
                certified = d.Model.Certified,
                reviewRatio = d.Model.ReviewRatio,
                recall = d.Model.TestRecall,
                missRateUpperBound = d.Model.MissRateUpperBound,
                delta = d.Model.Delta,
                boundOrders = d.Model.BoundOrders,
                testMissRate = d.Model.ObservedTestMissRate,
                recallAt15 = d.Model.RecallAtReviewRatio[0.15],
            },
            exampleSuggestion = d.Example,
            report = d.Report.Html,
            whatIf = pm is null ? null : new
            {
                scenario = d.WhatIf.Result!.Scenario.Name,
                pmP90WaitChangeHours = pm.Mean,
                pmP90WaitChangeCi95 = new[] { pm.Low, pm.High },
                backTestP50ErrorPct = d.WhatIf.BackTest.Validation.P50ErrorPct,
                backTestP90ErrorPct = d.WhatIf.BackTest.Validation.P90ErrorPct,
            },
        };
    }
}
