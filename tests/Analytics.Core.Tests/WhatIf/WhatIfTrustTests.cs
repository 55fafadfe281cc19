using Analytics.Core.Calendars;
using Analytics.Core.Simulation;
using Analytics.Core.WhatIf;

namespace Analytics.Core.Tests.WhatIf;

/// <summary>The trust verdict, the literature's distances, prediction intervals, approvers' own hours and the warnings.</summary>
public sealed class WhatIfTrustTests
{
    private static Validation V(double p50, double p90, double ks) => new(0, ks, p50, p90, 0, 0, [], []);

    [Theory]
    [InlineData(-3, 8, 0.05, "good")]
    [InlineData(-12, 8, 0.05, "fair")]
    [InlineData(3, 8, 0.15, "fair")]
    [InlineData(3, 30, 0.05, "poor")]
    [InlineData(3, 8, 0.25, "poor")]
    [InlineData(double.NaN, 8, 0.05, "poor")]
    public void VerdictFollowsTheStatedThresholds(double p50, double p90, double ks, string verdict)
    {
        var trust = Trust.Judge(V(p50, p90, ks));
        Assert.Equal(verdict, trust.Verdict);
        Assert.Contains("KS", trust.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CircadianDistanceIsTheMeanHourShiftOverWeekdays()
    {
        var a = new long[168];
        var b = new long[168];
        a[1 * 24 + 9] = 10;  // Monday 9:00
        b[1 * 24 + 11] = 5;  // Monday 11:00: two hours later
        a[2 * 24 + 10] = 4;  // Tuesday only observed: 23
        Assert.Equal((2 + 23) / 2.0, Validation.Circadian(a, b), 10);
        Assert.Equal(0, Validation.Circadian(a, a), 10);
        Assert.True(double.IsNaN(Validation.Circadian(new long[168], new long[168])));
    }

    [Fact]
    public void PredictionIntervalIsTheOrderStatisticsThatCoverNinetyPercent()
    {
        var twenty = Estimate.Of(Enumerable.Range(1, 20).Select(i => (double)i));
        Assert.Equal((1.0, 20.0), twenty.Prediction(0.9));
        var forty = Estimate.Of(Enumerable.Range(1, 40).Select(i => (double)i));
        Assert.Equal((2.0, 39.0), forty.Prediction(0.9)); // j = ⌊41 × 0.05⌋ = 2: covers 37/41 = 90.2%
        var ten = Estimate.Of(Enumerable.Range(1, 10).Select(i => (double)i));
        Assert.True(double.IsNaN(ten.Prediction(0.9).Low)); // too few for a 90% interval
        Assert.Equal(19, Estimate.ReplicationsForPrediction(0.9));
    }

    [Fact]
    public void AnApproverWhoStartsEarlyAndTakesFridaysOffGetsTheirOwnCalendar()
    {
        var calendar = BuiltInCalendars.CnShanghai;
        var zone = calendar.TimeZone;
        var sampler = new Sampler(3);
        List<DateTime> Completions(int startHour, bool fridays)
        {
            var list = new List<DateTime>();
            for (var day = new DateOnly(2025, 3, 3); day < new DateOnly(2025, 9, 1); day = day.AddDays(1))
            {
                if (calendar.PeriodsOn(day).Count == 0 || (!fridays && day.DayOfWeek == DayOfWeek.Friday))
                    continue;
                for (var i = 0; i < 6; i++)
                {
                    var hour = startHour + sampler.Uniform(0, 8.99);
                    list.Add(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue).AddHours(hour), zone));
                }
            }
            return list;
        }
        var found = ResourceAvailability.Discover(calendar, new Dictionary<string, List<DateTime>>
        {
            ["early"] = Completions(8, fridays: false),
            ["regular"] = Completions(9, fridays: true),
            ["few"] = Completions(8, fridays: true).Take(50).ToList(),
        });
        Assert.False(found.ContainsKey("regular"));
        Assert.False(found.ContainsKey("few")); // too few completions to judge
        var early = found["early"];
        Assert.False(early.Week.ContainsKey(DayOfWeek.Friday));
        Assert.Equal(new TimeOnly(8, 0), early.Week[DayOfWeek.Monday][0].Start);
        Assert.Equal(new TimeOnly(17, 0), early.Week[DayOfWeek.Monday][^1].End);
    }

    [Fact]
    public void AScenarioThatCannotChangeAnythingSaysSo()
    {
        var traces = SimulatedTraces.Generate(new ApprovalProcessModel { Orders = 3000, Seed = 4 });
        var options = new WhatIfOptions
        {
            Calendar = BuiltInCalendars.CnShanghai,
            ExcludeActivities = new HashSet<string> { "Bid won" },
            Replications = 4,
            HorizonDays = 60,
        };
        var scenario = new WhatIfScenario
        {
            Name = "nothing-to-change",
            Peaks = [new VolumePeak(new DateOnly(2030, 12, 1), new DateOnly(2030, 12, 31), 2)],
            Nodes = [new NodeChange("Finance approved", "skip", null, [Mining.AttributeCondition.Parse("region=Atlantis")])],
        };
        var result = WhatIfAnalysis.Run(traces, scenario, options, CancellationToken.None);
        Assert.Contains(result.Warnings, w => w.Contains("from 2030-12-01 to 2030-12-31", StringComparison.Ordinal) && w.Contains("outside the simulated period", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("region=Atlantis", StringComparison.Ordinal) && w.Contains("no case meets", StringComparison.Ordinal));
        // Nothing changes, so the end-to-end change is within the baseline's noise and is said to be.
        Assert.Contains(result.Warnings, w => w.StartsWith("p90 end-to-end: the change", StringComparison.Ordinal) || w.StartsWith("p50 end-to-end: the change", StringComparison.Ordinal));
    }

    [Fact]
    public void CapacityForARoleModelledAsADelayIsRefusedWithTheReason()
    {
        var traces = SimulatedTraces.Generate(new ApprovalProcessModel { Orders = 2000, Seed = 4 });
        var options = new WhatIfOptions { Calendar = BuiltInCalendars.CnShanghai, ExcludeActivities = new HashSet<string> { "Bid won" }, Replications = 2, HorizonDays = 30 };
        var ex = Assert.Throws<ArgumentException>(() => WhatIfAnalysis.Run(traces, new WhatIfScenario { Name = "more-reps", Pools = [new PoolChange("SALES_REP", null, 1)] }, options, CancellationToken.None));
        Assert.Contains("modelled as a delay", ex.Message, StringComparison.Ordinal);
        Assert.Contains("would change nothing", ex.Message, StringComparison.Ordinal);
    }
}
