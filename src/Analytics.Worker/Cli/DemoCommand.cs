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

    private static void Print(CliContext context, DemoRun d)
    {
        var o = context.Out;
        foreach (var r in d.Files)
            o.WriteLine($"{ImportStatusName.Of(r.Status),-18} {Path.GetFileName(r.Path)}: {r.Events:N0} events added{(r.Reason is null ? "" : " (" + r.Reason + ")")}");
        o.WriteLine($"{d.Database}: {d.Cases:N0} cases, {d.Events:N0} events, {d.Activities:N0} activities");
        if (d.Suggested is { } s)
            o.WriteLine($"profile suggested from the log: {ProfileText.Brief(s.Profile)}");
        o.WriteLine($"profile in use: '{d.Process}' (data-samples/special-price.profile.json; see analytics profile show)");
        var b = d.Throughput.Business;
        if (b is not null)
            o.WriteLine($"throughput in business hours on {d.Calendar}: median {b.MedianSeconds / 3600:F1} h, p90 {b.P90Seconds / 3600:F1} h");
        o.WriteLine("where orders wait longest (share of all waiting, p90 in business hours):");
        foreach (var n in d.LongestWaits)
            o.WriteLine($"  {n.Node}: {n.WaitingShare:P1}, p90 {(n.BusinessWaiting ?? n.Waiting).P90Seconds / 3600:F1} h");
        o.WriteLine($"SPC monitor: {d.Monitor.RecordedSignals:N0} signals recorded ({d.Monitor.NewSignals.Count:N0} new) — see analytics monitor");
        o.WriteLine($"review-need model v{d.ModelVersion}: AUC {d.Model.Auc:F3} on the test months from {d.Model.TestFromUtc:yyyy-MM-dd} ({d.Model.AllOrdersInTest:N0} orders); routing to the PM:");
        foreach (var line in PolicyWords.Lines(d.Model))
            o.WriteLine("  " + line);
        o.WriteLine($"weekly report for {d.Report.Week}: {d.Report.Html}");
        if (d.WhatIf.Result is { } w)
        {
            var pm = w.Delta.Roles.Single(r => r.Node == "PRODUCT_MANAGER").P90WaitHours;
            var v = d.WhatIf.BackTest.Validation;
            o.WriteLine($"what if PMs reviewed 15% of orders: PM p90 wait {pm.Mean:+0.0;-0.0} h (95% {pm.Low:+0.0;-0.0} to {pm.High:+0.0;-0.0}); " +
                        $"back-test on the held-out quarter: p50/p90 end-to-end error {v.P50ErrorPct:+0;-0}%/{v.P90ErrorPct:+0;-0}% (analytics whatif run --scenario data-samples/scenarios/pm-review-15pct.json)");
        }
        o.WriteLine($"example order {d.Example.CaseId}: {d.Example.Route} (p = {d.Example.Probability:F2}){(d.Example.Reasons.Count > 0 ? " because " + string.Join("; ", d.Example.Reasons) : "")}");
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
