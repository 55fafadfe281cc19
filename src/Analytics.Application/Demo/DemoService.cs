using System.Text.Json;
using Analytics.Application.Ingestion;
using Analytics.Application.Mining;
using Analytics.Application.Models;
using Analytics.Application.Profiles;
using Analytics.Application.Reports;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Application.WhatIf;
using Analytics.Core.Mining;
using Analytics.Core.Routing;
using Analytics.Core.WhatIf;
using Analytics.Ml;
using Analytics.Storage.Ingestion;
using Analytics.Storage.Routing;

namespace Analytics.Application.Demo;

/// <summary>
/// The main job on a simulated special-price log of realistic volume (30,000 orders over two years, generated once
/// beside the store from a fixed seed, about a second), through the same use cases a user runs: load it (again-safe),
/// suggest a profile and apply the department's confirmed one, mine where orders wait, run the SPC monitor, train
/// the review-need model, route an example order, write the weekly report and ask what PM review for 15% of orders
/// would do.
/// </summary>
public sealed class DemoService(IStoreAccess store, TimeProvider time)
{
    /// <summary>Orders the demo log holds: enough for the routing policy to be certified at the PM target.</summary>
    public const int Orders = 30_000;

    /// <summary>The demo log's file name (in the data folder given to <see cref="RunAsync"/>).</summary>
    public const string Sample = "special-price-30000.csv";

    /// <summary>Runs the demo.</summary>
    /// <param name="samples">The <c>data-samples/</c> folder (profile, policies, scenarios, example order).</param>
    /// <param name="dataFolder">Where the demo log is generated, once (a rerun loads the same file, skipped as loaded before).</param>
    /// <param name="reportsFolder">Where the weekly report goes (a folder per week is made inside).</param>
    /// <param name="progress">A progress sink for the load, or null.</param>
    /// <param name="cancellationToken">Stops the job between steps; a load in progress is rolled back.</param>
    public async Task<Result<DemoRun>> RunAsync(string samples, string dataFolder, string reportsFolder, Func<string, IProgress<IngestProgress>?>? progress, CancellationToken cancellationToken)
    {
        var log = Path.Combine(dataFolder, Sample);
        if (!File.Exists(log))
        {
            // Written under a temporary name and renamed, so an interrupted run never leaves half a log to load.
            var partial = log + ".part";
            var generated = await Simulation.GenerateService.RunAsync(new Core.Simulation.ApprovalProcessModel { Orders = Orders, Seed = 42 }, partial, "csv", null, cancellationToken);
            if (!generated.Succeeded)
                return Fail(generated);
            File.Move(partial, log, overwrite: true);
        }
        var spc = new SpcService(store, time);
        using var routing = new RoutingService(store, time);
        var ingest = await new IngestService(store, time, spc, routing).IngestAsync(new IngestRequest([log]), progress, cancellationToken);
        if (!ingest.Succeeded)
            return Fail(ingest);
        if (ingest.Value!.Files.FirstOrDefault(f => f.Status == ImportStatus.Rejected) is { } rejected)
            return Result.Fail<DemoRun>(ProblemKind.Failed, "demo: " + rejected.Reason);

        // The profile: suggested from the log, then the department's confirmed one with the project's targets.
        var profiles = new ProfileService(store, time);
        ProfileVersion? suggested = null;
        var current = await profiles.CurrentAsync(cancellationToken);
        if (!current.Accepted)
        {
            var proposal = await profiles.SuggestAsync(cancellationToken);
            if (!proposal.Succeeded)
                return Fail(proposal);
            suggested = proposal.Value;
            var set = await profiles.SetAsync(Path.Combine(samples, "special-price.profile.json"), cancellationToken);
            if (!set.Succeeded)
                return Fail(set);
        }

        var mining = new MiningService(store);
        var nodes = await mining.NodesAsync(new MiningRequest(), "node", cancellationToken);
        var cases = await mining.CasesAsync(new MiningRequest(), cancellationToken);
        if (!nodes.Succeeded)
            return Fail(nodes);
        if (!cases.Succeeded)
            return Fail(cases);
        var monitor = await spc.MonitorAsync(cancellationToken);
        if (!monitor.Succeeded)
            return Fail(monitor);

        // Train once: a rerun on an unchanged store reuses the active model instead of adding versions.
        var models = new ModelService(store, time);
        var loaded = ingest.Value.Files[0].Status == ImportStatus.Loaded;
        var active = await store.RunAsync(s => new ModelRegistry(s).Active(), cancellationToken);
        TrainingReport report;
        int version;
        if (loaded || active is null)
        {
            var trained = await models.TrainAsync(null, Activation.Always, cancellationToken);
            if (!trained.Succeeded)
                return Fail(trained);
            (report, version) = (trained.Value!.Report, trained.Value.Version);
        }
        else
            (report, version) = (JsonSerializer.Deserialize<TrainingReport>(active.Metrics, Json.Options)!, active.Version);

        // An example order, routed the way the API routes it.
        using var orderJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(samples, "routing", "example-order.json"), cancellationToken));
        DecisionCase order;
        try
        {
            order = OrderJson.Parse(orderJson.RootElement, time.GetUtcNow().UtcDateTime);
        }
        catch (FormatException ex)
        {
            return Result.Fail<DemoRun>(ProblemKind.Invalid, "demo: example-order.json: " + ex.Message);
        }
        var suggestion = await routing.RouteAsync(order, cancellationToken, waitForCommit: true);
        if (!suggestion.Succeeded)
            return Fail(suggestion);

        // The weekly report of a week in the middle of the sample: a full week of arrivals and completions, with 26
        // weeks of history before it for the control charts (the sample's last weeks have arrivals but few completions).
        var profile = await profiles.CurrentAsync(cancellationToken);
        var (earliest, latest) = await store.RunAsync(s => (s.EarliestEventUtc(), s.LatestEventUtc()), cancellationToken);
        var middle = earliest + (latest - earliest) / 2;
        var week = WeeklyReportService.WeekOf(middle < earliest.AddDays(7 * 27) && latest > earliest.AddDays(7 * 28) ? earliest.AddDays(7 * 27) : middle, profile.Calendar.TimeZone);
        var written = await new WeeklyReportService(store, time).WriteAsync(
            new ReportRequest(week, Path.Combine(reportsFolder, week), PolicyPath: Path.Combine(samples, "policies", "special-price.policy.json")), cancellationToken);
        if (!written.Succeeded)
            return Fail(written);

        // What if PMs reviewed 15% of orders? Back-tested on the last quarter of the sample; everything else from the profile.
        var scenario = WhatIfService.ReadScenario(Path.Combine(samples, "scenarios", "pm-review-15pct.json"));
        if (!scenario.Succeeded)
            return Fail(scenario);
        var whatIf = await new WhatIfService(store).RunAsync(new WhatIfRequest(), scenario.Value, cancellationToken);
        if (!whatIf.Succeeded)
            return Fail(whatIf);
        var stats = await store.RunAsync(s => s.Statistics(), cancellationToken);
        return Result.Ok(new DemoRun(store.Path, log, ingest.Value.Files, suggested, profile.Profile.Name, stats.Cases, stats.Events, stats.Activities, cases.Value!.Value,
            cases.Value.Calendar, nodes.Value!.Value.Take(3).ToList(), monitor.Value!, version, report, suggestion.Value!, written.Value!, whatIf.Value!));
    }

    private static Result<DemoRun> Fail<T>(Result<T> failed) => Result.Fail<DemoRun>(failed.Problem!.Kind, failed.Problem.Message, failed.Notes);
}

/// <summary>What the demo did.</summary>
/// <param name="Database">The store.</param>
/// <param name="Log">The demo log loaded.</param>
/// <param name="Files">The sample's load.</param>
/// <param name="Suggested">The profile suggested from the sample at its first load, or null on a rerun.</param>
/// <param name="Process">The process's name in the accepted profile.</param>
/// <param name="Cases">Cases in the store.</param>
/// <param name="Events">Events in the store.</param>
/// <param name="Activities">Activities in the store.</param>
/// <param name="Throughput">Case throughput times.</param>
/// <param name="Calendar">Their business calendar.</param>
/// <param name="LongestWaits">The three nodes with the largest share of waiting.</param>
/// <param name="Monitor">The SPC monitor's run.</param>
/// <param name="ModelVersion">The active model version.</param>
/// <param name="Model">Its test-period figures.</param>
/// <param name="Example">The example order's suggestion.</param>
/// <param name="Report">The weekly report written.</param>
/// <param name="WhatIf">The PM-review scenario's answer.</param>
public sealed record DemoRun(string Database, string Log, IReadOnlyList<FileImportResult> Files, ProfileVersion? Suggested, string Process, long Cases, long Events, long Activities,
    CaseDurations Throughput, string? Calendar, IReadOnlyList<NodeLatency> LongestWaits, MonitorRun Monitor, int ModelVersion, TrainingReport Model,
    RoutingSuggestion Example, WrittenReport Report, WhatIfDocument WhatIf);
