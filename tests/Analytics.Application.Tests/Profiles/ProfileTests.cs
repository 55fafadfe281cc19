using System.Text.Json;
using Analytics.Application.Ingestion;
using Analytics.Application.Mining;
using Analytics.Application.Profiles;
using Analytics.Application.Reports;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Application.WhatIf;
using Analytics.Core.Profiles;
using Analytics.Core.Spc;
using Analytics.Storage.Spc;
using Analytics.Testing;

namespace Analytics.Application.Tests.Profiles;

/// <summary>
/// A store learns the process it holds: a profile is suggested from the log with its evidence, applied only when
/// accepted, and then read by every analysis without flags.
/// </summary>
public sealed class ProfileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static async Task<IngestSummary> IngestAsync(IStoreAccess store, string path)
    {
        using var routing = new RoutingService(store, TimeProvider.System);
        var result = await new IngestService(store, TimeProvider.System, new SpcService(store, TimeProvider.System), routing)
            .IngestAsync(new IngestRequest([path]), null, CancellationToken.None);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value!;
    }

    [Fact]
    public async Task APaymentRequestLogGetsAEuropeanWeekdayCalendarAndNoReviewNodeEverywhere()
    {
        using var store = new StoreOnDemand(_temp.File("rfp.duckdb"), "1GB", create: true);
        var profiles = new ProfileService(store, TimeProvider.System);
        var ingested = await IngestAsync(store, Path.Combine(RepositoryPaths.RealLogs, "RequestForPayment.xes.gz"));
        Assert.Contains(ingested.Notes, n => n.Contains("profile suggest", StringComparison.Ordinal));

        // Suggested, and not applied: until accepted, analyses say they use the defaults.
        var suggestion = (await profiles.SuggestAsync(CancellationToken.None)).Value!;
        Assert.False(suggestion.Accepted);
        var before = await profiles.CurrentAsync(CancellationToken.None);
        Assert.False(before.Accepted);
        Assert.Contains(before.Notes, n => n.Contains("profile accept", StringComparison.Ordinal));

        var calendar = suggestion.Profile.Calendar.Name!;
        // The timestamps carry +01:00 in winter and +02:00 in summer: Central European time, the Netherlands' clock.
        Assert.Equal("weekdays-9-17:Europe/Berlin", calendar);
        Assert.NotEqual("cn-shanghai", calendar);
        Assert.Null(suggestion.Profile.Review);
        Assert.Null(suggestion.Profile.Routing);
        Assert.Equal(RoleKind.System, suggestion.Profile.Roles["UNDEFINED"]);
        Assert.Equal(RoleKind.Delay, suggestion.Profile.Roles["EMPLOYEE"]);
        Assert.Contains("SYSTEM", suggestion.Profile.SystemResources);
        Assert.Contains(suggestion.Evidence, f => f.Topic == "calendar" && f.Text.Contains(calendar, StringComparison.Ordinal));

        var accepted = await profiles.AcceptAsync(null, CancellationToken.None);
        Assert.True(accepted.Succeeded, accepted.Problem?.Message);
        var profile = await profiles.CurrentAsync(CancellationToken.None);
        Assert.True(profile.Accepted);
        Assert.Empty(profile.Notes);

        // The report: its title and sections fit a payment-request process; business hours on the same calendar.
        var written = await new WeeklyReportService(store, TimeProvider.System).WriteAsync(new ReportRequest("2018-W10", _temp.File("report")), CancellationToken.None);
        Assert.True(written.Succeeded, written.Problem?.Message);
        Assert.Equal(calendar, written.Value!.Report.Calendar);
        Assert.Equal("Request for payment", written.Value.Report.Title);
        Assert.Null(written.Value.Report.ReviewRole);
        var html = await File.ReadAllTextAsync(written.Value.Html);
        Assert.DoesNotContain("data-kpi=\"reviewRatio\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Special-price", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Laney", html, StringComparison.Ordinal);

        // Mining, SPC and the what-if calibration use the same calendar with no flags.
        var cases = await new MiningService(store).CasesAsync(new MiningRequest(), CancellationToken.None);
        Assert.Equal(calendar, cases.Value!.Calendar);
        Assert.NotNull(cases.Value.Value.Business);
        var chart = await new SpcService(store, TimeProvider.System).ChartMetricAsync(new MetricRequest(
            new MetricChartRequest { Metric = "cycle-time", Chart = ChartKind.IndividualsMovingRange, Period = PeriodKind.Week }, null, false, false, null), CancellationToken.None);
        Assert.True(chart.Succeeded, chart.Problem?.Message);
        Assert.Equal(calendar, chart.Value!.Calendar);
        var whatIf = await new WhatIfService(store).RunAsync(new WhatIfRequest { Replications = 2 }, null, CancellationToken.None);
        Assert.True(whatIf.Succeeded, whatIf.Problem?.Message);
        Assert.Equal(calendar, whatIf.Value!.Calendar);
    }

    [Fact]
    public async Task TheDemoSampleGetsShanghaiBidWonAsASideActivityAndThePmReviewNode()
    {
        using var store = new StoreOnDemand(_temp.File("demo.duckdb"), "1GB", create: true);
        await IngestAsync(store, Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));
        var suggestion = (await new ProfileService(store, TimeProvider.System).SuggestAsync(CancellationToken.None)).Value!.Profile;

        Assert.Equal("cn-shanghai", suggestion.Calendar.Name);
        Assert.Equal(["Bid won"], suggestion.SideActivities);
        Assert.Equal("PRODUCT_MANAGER", suggestion.Review!.Role);
        Assert.Equal("controlled", suggestion.Review.RouteBy);
        Assert.Equal(["PM approved", "PM price changed", "PM rejected"], suggestion.Review.Activities);
        Assert.Equal("Price desk approved", suggestion.Routing!.Decision);
        Assert.Equal(["controlled=true"], suggestion.Routing.Population);
        Assert.Equal(["PM price changed", "PM rejected"], suggestion.Routing.LabelActivities);
        Assert.Equal(RoleKind.Delay, suggestion.Roles["SALES_REP"]);
        Assert.Equal(RoleKind.Pool, suggestion.Roles["PRICE_DESK"]);
        Assert.Equal(RoleKind.System, suggestion.Roles["CRM"]);
    }

    [Fact]
    public async Task IngestWithAcceptAppliesTheSuggestionAtOnce()
    {
        using var store = new StoreOnDemand(_temp.File("accept.duckdb"), "1GB", create: true);
        using var routing = new RoutingService(store, TimeProvider.System);

        var result = await new IngestService(store, TimeProvider.System, new SpcService(store, TimeProvider.System), routing)
            .IngestAsync(new IngestRequest([Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv")], AcceptProfile: true), null, CancellationToken.None);

        Assert.True(result.Value!.Profile!.Accepted);
        var current = await new ProfileService(store, TimeProvider.System).CurrentAsync(CancellationToken.None);
        Assert.Equal(result.Value.Profile.Version, current.Version);
        Assert.Equal("cn-shanghai", current.Calendar.Name);
        Assert.Empty(current.Notes);
    }

    [Fact]
    public async Task WhatIfWithoutFlagsOnAnAcceptedDemoProfileEqualsTheFourFlags()
    {
        using var store = new StoreOnDemand(_temp.File("whatif.duckdb"), "1GB", create: true);
        await IngestAsync(store, Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));
        Assert.True((await new ProfileService(store, TimeProvider.System).SuggestAsync(CancellationToken.None)).Succeeded);
        Assert.True((await new ProfileService(store, TimeProvider.System).AcceptAsync(null, CancellationToken.None)).Succeeded);
        var scenario = WhatIfService.ReadScenario(Path.Combine(RepositoryPaths.DataSamples, "scenarios", "pm-review-15pct.json")).Value!;
        var whatIf = new WhatIfService(store);

        var bare = await whatIf.RunAsync(new WhatIfRequest { Replications = 4 }, scenario, CancellationToken.None);
        var flags = await whatIf.RunAsync(new WhatIfRequest { Replications = 4, Calendar = "cn-shanghai", Exclude = ["Bid won"], RouteBy = "controlled" }, scenario, CancellationToken.None);

        Assert.True(bare.Succeeded, bare.Problem?.Message);
        Assert.True(flags.Succeeded, flags.Problem?.Message);
        Assert.Contains(bare.Value!.Assumptions, a => a.Contains("Bid won", StringComparison.Ordinal));
        // Everything but the list of what the profile supplied is the same answer, to the last digit.
        Assert.Equal(Numbers(flags.Value!), Numbers(bare.Value));
        var pm = bare.Value.Result!.Delta.Roles.Single(r => r.Node == "PRODUCT_MANAGER").P90WaitHours.Mean;
        Assert.True(pm < 0, $"PM p90 waiting should fall when PMs review 15% of orders, not change by {pm}");
    }

    private static string Numbers(WhatIfDocument document)
    {
        var json = JsonSerializer.SerializeToNode(document.ToJson(), Json.Options)!.AsObject();
        json.Remove("assumptions");
        json["backTest"]?.AsObject().Remove("assumptions");
        return json.ToJsonString();
    }

    [Fact]
    public async Task ASuggestionIsAppliedOnlyWhenAcceptedAndAPersonsFileReplacesIt()
    {
        using var store = new StoreOnDemand(_temp.File("set.duckdb"), "1GB", create: true);
        await IngestAsync(store, Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));
        var profiles = new ProfileService(store, TimeProvider.System);
        Assert.Equal(ProcessProfile.Default.Name, (await profiles.CurrentAsync(CancellationToken.None)).Profile.Name);

        var set = await profiles.SetAsync(Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"), CancellationToken.None);

        Assert.True(set.Succeeded, set.Problem?.Message);
        var current = await profiles.CurrentAsync(CancellationToken.None);
        Assert.Equal("Special-price approvals", current.Profile.Name);
        Assert.Equal(0.15, current.Profile.Review!.Target);
        Assert.Equal(40, current.Profile.Sla.CaseHours);
        // The exported form reads back as the same profile.
        var exported = _temp.Write("exported.json", current.Profile.ToJson(comments: true));
        Assert.Equal(current.Profile.ToJson(), ProcessProfile.Parse(await File.ReadAllTextAsync(exported), exported).ToJson());
        var bad = await profiles.SetAsync(_temp.Write("bad.json", """{ "name": "x", "review": { "role": "PM", "activities": ["PM %"], "target": 1.5 } }"""), CancellationToken.None);
        Assert.Equal(ProblemKind.Invalid, bad.Problem!.Kind);
        Assert.Contains("review.target", bad.Problem.Message, StringComparison.Ordinal);
        Assert.Equal("Special-price approvals", (await profiles.CurrentAsync(CancellationToken.None)).Profile.Name);
    }
}
