using Analytics.Core.Calendars;
using Analytics.Core.Simulation;
using Analytics.Core.WhatIf;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// A what-if answer on a demo log of 100,000 orders over two years (50,000 a year): one scenario (PM review for 15%)
/// over a year with 30 replications each of baseline and scenario, with and without the back-test that comes with
/// every answer (30 replications each with real and forecast arrivals over the last quarter of the log).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class WhatIfBenchmarks
{
    private List<CaseTrace> _traces = [];
    private CalibratedProcess _model = null!;
    private readonly WhatIfScenario _scenario = new() { Name = "pm-review-15pct", Review = new ReviewChange("PRODUCT_MANAGER", 0.15), SlaHours = 40 };

    private static WhatIfOptions Options => new()
    {
        Calendar = BuiltInCalendars.CnShanghai,
        ExcludeActivities = new HashSet<string> { "Bid won" },
        RouteBy = "controlled",
        Replications = 30,
    };

    [GlobalSetup]
    public void Setup()
    {
        _traces = SimulatedTraces.Generate(new ApprovalProcessModel { Orders = 100_000, Seed = 11 })
            .Select(c => c with { Events = [.. c.Events.Where(e => e.Activity != "Bid won")] }).ToList();
        _model = ProcessCalibrator.Calibrate(_traces, new CalibrationOptions { Calendar = BuiltInCalendars.CnShanghai, RouteBy = "controlled" });
    }

    [Benchmark]
    public double ScenarioYear30ReplicationsWithBackTest() =>
        WhatIfAnalysis.Run(_traces, _scenario, Options, CancellationToken.None).Delta.P90Hours.Mean;

    [Benchmark]
    public double ScenarioYear30Replications()
    {
        var from = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var baseline = WhatIfAnalysis.Replicate(new ProcessSimulation(_model, WhatIfScenario.AsIs, from, from.AddDays(365)), Options, CancellationToken.None);
        var scenario = WhatIfAnalysis.Replicate(new ProcessSimulation(_model, _scenario, from, from.AddDays(365)), Options, CancellationToken.None);
        return scenario.P90Hours.Mean - baseline.P90Hours.Mean;
    }

    [Benchmark]
    public int Calibrate() => ProcessCalibrator.Calibrate(_traces, new CalibrationOptions { Calendar = BuiltInCalendars.CnShanghai, RouteBy = "controlled" }).TrainingCases;
}
