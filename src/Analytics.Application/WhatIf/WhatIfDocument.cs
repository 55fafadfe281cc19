using Analytics.Core.WhatIf;

namespace Analytics.Application.WhatIf;

/// <summary>A what-if answer: the back-test of the calibration and, for a scenario run, baseline against scenario.</summary>
/// <param name="Calendar">The business calendar of every hour in it.</param>
/// <param name="BackTest">The calibration's back-test.</param>
/// <param name="Result">Baseline against scenario, for a scenario run.</param>
public sealed record WhatIfDocument(string Calendar, BackTest BackTest, WhatIfResult? Result)
{
    /// <summary>What the profile supplied to the model (excluded activities, routing attribute, roles), for the person to see.</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    /// <summary>The JSON answer (camelCase; hours are business hours on <see cref="Calendar"/>; every simulated figure has its 95% interval in <c>ci95</c>).</summary>
    public object ToJson()
    {
        var b = BackTest;
        var backTest = new
        {
            calendar = Calendar,
            train = new { from = b.TrainFromUtc, to = b.TrainToUtc, cases = b.TrainCases },
            test = new { from = b.TestFromUtc, to = b.TestToUtc, cases = b.TestCases },
            replications = b.Simulated.Replications,
            trust = b.Trust,
            cycleTimeDistanceHours = Distance(b.Validation.CycleTimeDistanceHours),
            circadianDistance = Distance(b.Validation.CircadianDistance),
            observed = Observed(b.Observed),
            simulated = Outcome(b.Simulated),
            validation = b.Validation,
            replayed = Outcome(b.Replayed),
            replayValidation = b.ReplayValidation,
        };
        if (Result is not { } r)
            return new
            {
                backTest.calendar, assumptions = Assumptions, warnings = b.Warnings, backTest.trust, backTest.cycleTimeDistanceHours, backTest.circadianDistance,
                backTest.train, backTest.test, backTest.replications, model = Model(b.Model), backTest.observed, backTest.simulated,
                validation = b.Validation, backTest.replayed, backTest.replayValidation,
            };
        return new
        {
            name = r.Scenario.Name,
            description = r.Scenario.Description,
            calendar = Calendar,
            assumptions = Assumptions,
            warnings = r.Warnings,
            trust = b.Trust,
            horizon = new { from = r.FromUtc, to = r.ToUtc, replayedArrivals = r.ReplayedArrivals },
            replications = r.Baseline.Replications,
            pools = new { baseline = r.BaselinePools, scenario = r.ScenarioPools },
            baseline = Outcome(r.Baseline),
            scenario = Outcome(r.Outcome),
            delta = Delta(r.Delta),
            validation = b.Validation,
            backTest,
            model = Model(r.Model),
        };
    }

    private static object Observed(PeriodOutcome o) => new
    {
        cases = o.Cases, p50Hours = o.P50Hours, p90Hours = o.P90Hours, meanHours = o.MeanHours, throughputPerWeek = o.ThroughputPerWeek,
        workInProgress = o.WorkInProgress, slaAttainment = o.SlaAttainment,
        nodes = o.Nodes.Select(n => new { node = n.Node, count = n.Count, meanWaitHours = n.MeanWaitHours, p50WaitHours = n.P50WaitHours, p90WaitHours = n.P90WaitHours }),
        roles = o.Roles.Select(n => new { node = n.Node, count = n.Count, meanWaitHours = n.MeanWaitHours, p50WaitHours = n.P50WaitHours, p90WaitHours = n.P90WaitHours }),
    };

    private static double[] Ci(Estimate e) => [e.Low, e.High];

    private static object Distance(Estimate e) => new { mean = e.Mean, ci95 = Ci(e) };

    private static object Outcome(OutcomeEstimate o) => new
    {
        cases = o.Cases.Mean, p50Hours = o.P50Hours.Mean, p90Hours = o.P90Hours.Mean, meanHours = o.MeanHours.Mean,
        throughputPerWeek = o.ThroughputPerWeek.Mean, workInProgress = o.WorkInProgress.Mean, slaAttainment = o.SlaAttainment?.Mean,
        ci95 = new
        {
            cases = Ci(o.Cases), p50Hours = Ci(o.P50Hours), p90Hours = Ci(o.P90Hours), meanHours = Ci(o.MeanHours),
            throughputPerWeek = Ci(o.ThroughputPerWeek), workInProgress = Ci(o.WorkInProgress), slaAttainment = o.SlaAttainment is { } s ? Ci(s) : null,
        },
        nodes = o.Nodes.Select(Node),
        roles = o.Roles.Select(Node),
        utilisation = o.Utilisation.Select(u => new { role = u.Role, approvers = u.Approvers, utilisation = u.Utilisation.Mean, ci95 = Ci(u.Utilisation) }),
        visitShare = o.VisitShare.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(v => v.Key, v => v.Value.Mean),
    };

    private static object Node(NodeEstimate n) => new
    {
        node = n.Node, count = n.Count.Mean, meanWaitHours = n.MeanWaitHours.Mean, p50WaitHours = n.P50WaitHours.Mean, p90WaitHours = n.P90WaitHours.Mean,
        ci95 = new { meanWaitHours = Ci(n.MeanWaitHours), p50WaitHours = Ci(n.P50WaitHours), p90WaitHours = Ci(n.P90WaitHours) },
    };

    private static object Delta(OutcomeDelta d)
    {
        static object Node(NodeDelta n) => new
        {
            node = n.Node, meanWaitHours = n.MeanWaitHours.Mean, p50WaitHours = n.P50WaitHours.Mean, p90WaitHours = n.P90WaitHours.Mean,
            ci95 = new { meanWaitHours = Ci(n.MeanWaitHours), p50WaitHours = Ci(n.P50WaitHours), p90WaitHours = Ci(n.P90WaitHours) },
        };
        return new
        {
            p50Hours = d.P50Hours.Mean, p90Hours = d.P90Hours.Mean, meanHours = d.MeanHours.Mean, throughputPerWeek = d.ThroughputPerWeek.Mean,
            workInProgress = d.WorkInProgress.Mean, slaAttainment = d.SlaAttainment?.Mean,
            ci95 = new
            {
                p50Hours = Ci(d.P50Hours), p90Hours = Ci(d.P90Hours), meanHours = Ci(d.MeanHours), throughputPerWeek = Ci(d.ThroughputPerWeek),
                workInProgress = Ci(d.WorkInProgress), slaAttainment = d.SlaAttainment is { } s ? Ci(s) : null,
            },
            nodes = d.Nodes.Select(Node),
            roles = d.Roles.Select(Node),
            utilisation = d.Utilisation.Select(u => new { role = u.Role, utilisation = u.Utilisation.Mean, ci95 = Ci(u.Utilisation) }),
        };
    }

    private static object Model(CalibratedProcess m) => new
    {
        trainingCases = m.TrainingCases,
        routeBy = m.RouteBy,
        arrivals = new
        {
            meanPerDay = m.Arrivals.MeanPerDay, workingDayMeanSundayFirst = m.Arrivals.WorkingDayMean, dayOffMean = m.Arrivals.DayOffMean,
            monthFactor = m.Arrivals.MonthFactor, recentLevel = m.Arrivals.RecentLevel,
        },
        pools = m.Pools.Select(p => new { role = p.Role, pooled = p.Pooled, size = p.Size, resources = p.Resources, configured = p.Configured }),
        approverPools = m.ServerPools.Select(p => new
        {
            pool = p.Name, role = p.Role, splitBy = p.SplitBy, segments = p.Segments, size = p.Size, multitasking = p.Multitasking,
            members = p.Members, activities = p.Activities.Select(a => new { activity = a.Activity, count = a.Count }), completions = p.Items, evidence = p.Evidence,
        }),
        seasonality = new { applies = m.Seasonality.Applies, monthFactorsJanuaryFirst = m.Seasonality.Factors, evidence = m.Seasonality.Evidence },
        activities = m.Activities.Select(a => new
        {
            activity = a.Name, role = a.Role, pooled = a.Pooled, count = a.Count, time = a.Pooled ? "work" : "response",
            meanHours = a.Work.Mean / 3600, p50Hours = a.Work.Quantile(0.5) / 3600, p90Hours = a.Work.Quantile(0.9) / 3600,
            fit = new { family = a.Work.Fit.Family, parameters = a.Work.Fit.Parameters, ks = a.Work.Fit.Ks, zeroShare = a.Work.Fit.ZeroShare },
        }),
        branching = m.Branching.Select(b => new { from = b.From, to = b.To ?? "(end)", probability = b.Probability }),
        reworkShare = m.ReworkShare,
        endings = m.Endings.Select(e => new { activity = e.Activity, share = e.Share }),
    };
}
