using System.Text;
using Analytics.Core.Calendars;
using Analytics.Core.Simulation;
using Analytics.Core.WhatIf;

namespace Analytics.Core.Tests.WhatIf;

public sealed class WhatIfModelTests
{
    private static readonly Lazy<CalibratedProcess> Demo = new(() => ProcessCalibrator.Calibrate(
        SimulatedTraces.Generate(new ApprovalProcessModel { Orders = 6000, Seed = 5 }).Select(c => c with { Events = [.. c.Events.Where(e => e.Activity != "Bid won")] }).ToList(),
        new CalibrationOptions { Calendar = BuiltInCalendars.CnShanghai }));

    private static readonly DateTime From = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static PeriodOutcome Simulate(WhatIfScenario scenario, int seed = 1) =>
        new ProcessSimulation(Demo.Value, scenario, From, From.AddDays(120)).Run(seed, null, CancellationToken.None);

    [Fact]
    public void WassersteinOfShiftedSamplesIsTheShift()
    {
        double[] a = [1, 2, 3, 4];
        double[] b = [3, 4, 5, 6];
        Assert.Equal(2, Validation.Wasserstein(a, b), 10);
        Assert.Equal(0.5, Validation.KolmogorovSmirnov(a, b), 10);
        Assert.Equal(0, Validation.Wasserstein(a, a), 10);
        Assert.Equal(0, Validation.KolmogorovSmirnov(a, a), 10);
    }

    [Fact]
    public void WassersteinMatchesTheQuantileIntegralForUnequalSizes()
    {
        double[] a = [0, 10];
        double[] b = [5];
        // ∫|F−G| = 5 × 0.5 + 5 × 0.5
        Assert.Equal(5, Validation.Wasserstein(a, b), 10);
        Assert.Equal(0.5, Validation.KolmogorovSmirnov(a, b), 10);
    }

    [Fact]
    public void FitRecognisesExponentialAndLogNormalDurations()
    {
        var sampler = new Sampler(7);
        var exponential = DurationDistribution.FromObservations(Enumerable.Range(0, 5000).Select(_ => -Math.Log(1 - sampler.Uniform()) * 3600));
        var lognormal = DurationDistribution.FromObservations(Enumerable.Range(0, 5000).Select(_ => sampler.LogNormal(7200, 1.5)));
        // Gamma nests the exponential (shape 1), so either may fit best.
        Assert.Contains(exponential.Fit.Family, new[] { "exponential", "gamma" });
        if (exponential.Fit.Family == "gamma")
            Assert.InRange(exponential.Fit.Parameters["shape"], 0.9, 1.1);
        Assert.InRange(exponential.Mean, 3400, 3800);
        Assert.True(exponential.Fit.Ks < 0.03, $"KS {exponential.Fit.Ks}");
        Assert.Equal("lognormal", lognormal.Fit.Family);
        Assert.True(lognormal.Fit.Ks < 0.03, $"KS {lognormal.Fit.Ks}");
        Assert.InRange(lognormal.Quantile(0.5), 3200, 4600); // median of a log-normal with mean 2 h and cv 1.5 is 2 h / sqrt(1 + 1.5²) ≈ 1.1 h
    }

    [Fact]
    public void ArrivalLevelFollowsAStepUpInVolume()
    {
        // 2023: 10 a working day; 2024 H1: 30 a working day. The simulation must start from 30, not the average.
        var calendar = BuiltInCalendars.UtcWeekdays9To17;
        var starts = new List<DateTime>();
        for (var d = new DateOnly(2023, 1, 1); d < new DateOnly(2024, 7, 1); d = d.AddDays(1))
            if (calendar.PeriodsOn(d).Count > 0)
                for (var i = 0; i < (d.Year == 2023 ? 10 : 30); i++)
                    starts.Add(d.ToDateTime(new TimeOnly(10, 0)).AddMinutes(i));
        var model = ArrivalModel.Fit(starts, calendar, new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 7, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.InRange(model.Rate(new DateOnly(2024, 9, 4)), 29, 31);
        Assert.Equal(0, model.Rate(new DateOnly(2024, 9, 7))); // a Saturday
    }

    [Fact]
    public void CalibrationModelsApproversAsPoolsAndTheRequesterAsADelay()
    {
        var model = Demo.Value;
        Assert.All(["REGIONAL_MANAGER", "PRICE_DESK", "PRODUCT_MANAGER", "FINANCE"], role => Assert.True(model.Pools.Single(p => p.Role == role).Pooled));
        Assert.False(model.Pools.Single(p => p.Role == "SALES_REP").Pooled);
        Assert.InRange(model.ShareVisiting(a => a.Role == "PRODUCT_MANAGER"), 0.38, 0.46);
        Assert.Contains(model.Branching, b => b.From == "Price desk approved" && b.To == "PM approved" && b.Probability is > 0.3 and < 0.5);
        Assert.InRange(model.Activities.Single(a => a.Name == "Price desk approved").Work.Mean / 3600, 0.9, 1.1); // the demo's 1.0 business hour
    }

    [Fact]
    public void SameSeedSameOutcome()
    {
        var a = Simulate(WhatIfScenario.AsIs, 3);
        var b = Simulate(WhatIfScenario.AsIs, 3);
        Assert.Equal(a.Cases, b.Cases);
        Assert.Equal(a.P90Hours, b.P90Hours);
        Assert.NotEqual(a.P90Hours, Simulate(WhatIfScenario.AsIs, 4).P90Hours);
    }

    [Fact]
    public void SkippingANodeRemovesItsEventsAndItsWaiting()
    {
        var skipped = Simulate(new WhatIfScenario { Name = "no finance", Nodes = [new NodeChange("FINANCE", "skip", null, [])] });
        var asIs = Simulate(WhatIfScenario.AsIs);
        Assert.Contains(asIs.Roles, r => r.Node == "FINANCE");
        Assert.DoesNotContain(skipped.Roles, r => r.Node == "FINANCE");
        Assert.Equal(asIs.Cases, skipped.Cases); // the same cases arrive: only the process changed
        // The routing moves on as if finance had approved: orders are still placed, at about the same rate.
        var placed = (double)skipped.Nodes.Single(n => n.Node == "Order placed").Count / asIs.Nodes.Single(n => n.Node == "Order placed").Count;
        Assert.InRange(placed, 0.95, 1.08);
    }

    [Fact]
    public void SkippingForASegmentSkipsOnlyThoseCases()
    {
        var small = Simulate(new WhatIfScenario { Name = "finance only above 1M", Nodes = [new NodeChange("FINANCE", "skip", null, [Mining.AttributeCondition.Parse("order_amount<1000000")])] });
        var asIs = Simulate(WhatIfScenario.AsIs);
        var finance = small.Roles.Single(r => r.Node == "FINANCE").Count;
        Assert.InRange(finance, 1, asIs.Roles.Single(r => r.Node == "FINANCE").Count - 1);
    }

    [Fact]
    public void MergedNodeIsWorkedByTheApproverBeforeIt()
    {
        var asIs = Simulate(WhatIfScenario.AsIs);
        var merged = Simulate(new WhatIfScenario { Name = "price desk reviews too", Nodes = [new NodeChange("PM approved", "merge", "Price desk approved", [])] });
        double Use(PeriodOutcome o, string role) => o.Utilisation.Single(u => u.Role == role).Utilisation;
        // The price desk now spends the PM's review time as well; the PMs keep only the changes and rejections.
        Assert.True(Use(merged, "PRICE_DESK") > Use(asIs, "PRICE_DESK") + 0.1, $"{Use(merged, "PRICE_DESK")} vs {Use(asIs, "PRICE_DESK")}");
        Assert.True(Use(merged, "PRODUCT_MANAGER") < 0.5 * Use(asIs, "PRODUCT_MANAGER"));
        Assert.Equal(asIs.Cases, merged.Cases);
    }

    [Fact]
    public void FewerApproversWaitLongerAndMoreWaitLess()
    {
        var pm = Demo.Value.Pools.Single(p => p.Role == "PRODUCT_MANAGER").Size;
        double Wait(WhatIfScenario s) => Simulate(s).Roles.Single(r => r.Node == "PRODUCT_MANAGER").MeanWaitHours;
        var asIs = Wait(WhatIfScenario.AsIs);
        Assert.True(Wait(new WhatIfScenario { Name = "one PM more", Pools = [new PoolChange("PRODUCT_MANAGER", pm + 1, 0)] }) < asIs);
        if (pm > 1)
            Assert.True(Wait(new WhatIfScenario { Name = "one PM less", Pools = [new PoolChange("PRODUCT_MANAGER", null, -1)] }) > asIs);
    }

    [Fact]
    public void ShorterWorkTimeLowersUtilisationAndWaiting()
    {
        var asIs = Simulate(WhatIfScenario.AsIs);
        var faster = Simulate(new WhatIfScenario { Name = "checklist", WorkTime = new Dictionary<string, double> { ["PRODUCT_MANAGER"] = 0.8 } });
        var before = asIs.Utilisation.Single(u => u.Role == "PRODUCT_MANAGER").Utilisation;
        Assert.InRange(faster.Utilisation.Single(u => u.Role == "PRODUCT_MANAGER").Utilisation / before, 0.7, 0.9);
        Assert.True(faster.Roles.Single(r => r.Node == "PRODUCT_MANAGER").MeanWaitHours < asIs.Roles.Single(r => r.Node == "PRODUCT_MANAGER").MeanWaitHours);
    }

    [Fact]
    public void DoubleVolumeDoublesCasesAndRaisesUtilisation()
    {
        var asIs = Simulate(WhatIfScenario.AsIs);
        var doubled = Simulate(new WhatIfScenario { Name = "x2", VolumeMultiplier = 2 });
        Assert.InRange(doubled.Cases / (double)asIs.Cases, 1.85, 2.15);
        Assert.True(doubled.Utilisation.Single(u => u.Role == "PRICE_DESK").Utilisation > 1.5 * asIs.Utilisation.Single(u => u.Role == "PRICE_DESK").Utilisation);
    }

    [Fact]
    public void PriorityReordersTheApproversQueues()
    {
        var traces = SimulatedTraces.Generate(new ApprovalProcessModel { Orders = 6000, Seed = 5 }).Select(c => c with { Events = [.. c.Events.Where(e => e.Activity != "Bid won")] }).ToList();
        var model = ProcessCalibrator.Calibrate(traces, new CalibrationOptions
        {
            Calendar = BuiltInCalendars.CnShanghai,
            Priority = [Mining.AttributeCondition.Parse("controlled=false")],
        });
        var plain = ProcessCalibrator.Calibrate(traces, new CalibrationOptions { Calendar = BuiltInCalendars.CnShanghai });
        double PriceDeskWait(CalibratedProcess m) => new ProcessSimulation(m, WhatIfScenario.AsIs, From, From.AddDays(120)).Run(1, null, CancellationToken.None)
            .Roles.Single(r => r.Node == "PRICE_DESK").P90WaitHours;
        // Same seed, same draws: only the order in which approvers take waiting orders differs, and with it the waits.
        Assert.Equal(PriceDeskWait(plain), PriceDeskWait(plain));
        Assert.NotEqual(PriceDeskWait(plain), PriceDeskWait(model));
        Assert.Single(model.Priority);
    }

    [Fact]
    public void ReviewShareScenarioReachesTheTargetShare()
    {
        var outcome = Simulate(new WhatIfScenario { Name = "pm 15%", Review = new ReviewChange("PRODUCT_MANAGER", 0.15) });
        Assert.InRange(outcome.VisitShare["PRODUCT_MANAGER"], 0.13, 0.17);
    }

    [Fact]
    public void ModelPolicyRaisesThePositiveOutcomesAmongReviews()
    {
        var random = Simulate(new WhatIfScenario { Name = "random", Review = new ReviewChange("PRODUCT_MANAGER", 0.15) });
        var model = Simulate(new WhatIfScenario { Name = "model", Review = new ReviewChange("PRODUCT_MANAGER", 0.15, "model", ["PM rejected", "PM price changed"], 0.9) });
        double Positive(PeriodOutcome o) => (o.VisitShare.GetValueOrDefault("PM rejected") + o.VisitShare.GetValueOrDefault("PM price changed")) / o.VisitShare["PRODUCT_MANAGER"];
        Assert.True(Positive(model) > 1.5 * Positive(random), $"{Positive(model):P1} vs {Positive(random):P1}");
    }

    [Fact]
    public void EveningCalendarShortensWaitingInOfficeHours()
    {
        var evening = BuiltInCalendars.CnShanghai with
        {
            Name = "evening",
            Week = Enum.GetValues<DayOfWeek>().Where(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                .ToDictionary(d => d, IReadOnlyList<WorkingPeriod> (_) => [new WorkingPeriod(new TimeOnly(9, 0), new TimeOnly(12, 0)), new WorkingPeriod(new TimeOnly(13, 0), new TimeOnly(21, 0))]),
        };
        var asIs = Simulate(WhatIfScenario.AsIs).Roles.Single(r => r.Node == "PRODUCT_MANAGER").MeanWaitHours;
        var later = Simulate(new WhatIfScenario { Name = "PMs answer until 21:00", Calendars = new Dictionary<string, BusinessCalendar> { ["PRODUCT_MANAGER"] = evening } }).Roles.Single(r => r.Node == "PRODUCT_MANAGER").MeanWaitHours;
        Assert.True(later < asIs, $"{later} vs {asIs}");
    }

    [Fact]
    public void ScenarioNamingAnUnknownRoleIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ProcessSimulation(Demo.Value, new WhatIfScenario { Name = "x", Pools = [new PoolChange("LEGAL", 2, 0)] }, From, From.AddDays(10)));
        Assert.Contains("LEGAL", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"x","review":{"node":"PM","share":1.5}}""", "review.share")]
    [InlineData("""{"name":"x","pools":{"PM":0}}""", "pools.PM")]
    [InlineData("""{"name":"x","volume":{"multiplier":-1}}""", "volume.multiplier")]
    [InlineData("""{"name":"x","nodes":[{"activity":"A","action":"drop"}]}""", "nodes[0]")]
    [InlineData("""{"name":"x","colour":"red"}""", "colour")]
    [InlineData("""{"name":"x","nodes":[{"activity":"A","action":"skip","where":["amount"]}]}""", "nodes[0]: where")]
    [InlineData("""{"review":{"node":"PM","share":0.1}}""", "'name'")]
    [InlineData("""{"name":"x","review":{"node":"PM","share":0.1,"policy":"model"}}""", "positiveOutcomes")]
    [InlineData("""{"name":"x","volume":{"peaks":[{"from":"2025-12-31","to":"2025-12-01","multiplier":2}]}}""", "'to'")]
    [InlineData("""not json""", "not valid JSON")]
    [InlineData("""{"name":"x","workTime":{"PM":0}}""", "workTime.PM")]
    public void BadScenarioIsRefusedWithTheField(string json, string named)
    {
        var ex = Assert.Throws<FormatException>(() => WhatIfScenario.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "s.json", _ => BuiltInCalendars.CnShanghai));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("s.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScenarioFileReadsEveryChange()
    {
        const string Json = """
            {
              "name": "all", "description": "d", "slaHours": 40,
              "review": {"node": "PRODUCT_MANAGER", "share": 0.15},
              "pools": {"PRODUCT_MANAGER": "+1", "FINANCE": 3},
              "calendars": {"PRODUCT_MANAGER": "cn-shanghai"},
              "nodes": [{"activity": "Finance approved", "action": "skip", "where": ["order_amount<100000"]}],
              "volume": {"multiplier": 1.1, "peaks": [{"from": "2025-12-01", "to": "2026-01-01", "multiplier": 2}]}
            }
            """;
        var s = WhatIfScenario.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Json)), "s.json", n => n == "cn-shanghai" ? BuiltInCalendars.CnShanghai : throw new FormatException(n));
        Assert.Equal(0.15, s.Review!.Share);
        Assert.Equal(5, s.Pools.Single(p => p.Role == "PRODUCT_MANAGER").Apply(4));
        Assert.Equal(3, s.Pools.Single(p => p.Role == "FINANCE").Apply(7));
        Assert.Same(BuiltInCalendars.CnShanghai, s.Calendars["PRODUCT_MANAGER"]);
        Assert.Equal("skip", s.Nodes.Single().Action);
        Assert.Equal(2, s.Peaks.Single().Multiplier);
        Assert.Equal(1.1, s.VolumeMultiplier);
        Assert.Equal(40, s.SlaHours);
    }
}
