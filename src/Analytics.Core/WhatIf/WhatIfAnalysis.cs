using Analytics.Core.Calendars;

namespace Analytics.Core.WhatIf;

/// <summary>
/// The what-if analysis: calibrate on a training window and back-test on the window after it (so every answer comes
/// with the evidence of how well the model reproduces the process), then simulate a baseline and a scenario over a
/// horizon with paired replications (the same seeds), and report the deltas with their intervals.
/// </summary>
public static class WhatIfAnalysis
{
    /// <summary>Calibrates on the training window and simulates the test window against what really happened there.</summary>
    /// <param name="traces">All cases of the log (ordered events); split by the instant of each case's first event.</param>
    /// <param name="options">Windows, calendar, replications.</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <exception cref="ArgumentException">A window is empty.</exception>
    public static BackTest BackTest(IReadOnlyList<CaseTrace> traces, WhatIfOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(options);
        return BackTest(Prepare(traces, options), options, cancellationToken);
    }

    private static BackTest BackTest(List<CaseTrace> cases, WhatIfOptions options, CancellationToken cancellationToken)
    {
        var (first, last) = Span(cases);
        // Default: the first three quarters of the log's span train, the last quarter tests.
        var split = first + (last - first) * 0.75;
        var trainFrom = options.TrainFromUtc ?? first;
        var trainTo = options.TrainToUtc ?? options.TestFromUtc ?? Round(split);
        var testFrom = options.TestFromUtc ?? trainTo;
        var testTo = options.TestToUtc ?? last.AddTicks(1);
        if (trainTo <= trainFrom)
            throw new ArgumentException($"the training window {trainFrom:O}..{trainTo:O} is empty");
        if (testTo <= testFrom)
            throw new ArgumentException($"the test window {testFrom:O}..{testTo:O} is empty");
        var train = Within(cases, trainFrom, trainTo);
        var test = Within(cases, testFrom, testTo);
        if (train.Count == 0)
            throw new ArgumentException($"no case starts in the training window {trainFrom:O}..{trainTo:O}");
        if (test.Count == 0)
            throw new ArgumentException($"no case starts in the test window {testFrom:O}..{testTo:O}");
        var model = ProcessCalibrator.Calibrate(train, options.Calibration(trainFrom, trainTo));
        var observed = PeriodOutcome.Observe(test, options.Calendar, testFrom, testTo, options.SlaHours);
        // Twice: the model alone, arrivals included (the back-test proper), and with the test window's real arrivals
        // (does the process model reproduce the waiting, given the demand?).
        var simulated = Replicate(new ProcessSimulation(model, WhatIfScenario.AsIs, testFrom, testTo, options.WarmupDays, null, options.CalibrationUncertainty), options, cancellationToken);
        var replayed = Replicate(new ProcessSimulation(model, WhatIfScenario.AsIs, testFrom, testTo, options.WarmupDays, Arrivals(cases, testFrom.AddDays(-options.WarmupDays), testTo), options.CalibrationUncertainty), options, cancellationToken);
        var backTest = new BackTest(trainFrom, trainTo, testFrom, testTo, train.Count, test.Count, model, observed, simulated, Validation.Compare(observed, simulated),
            replayed, Validation.Compare(observed, replayed));
        return backTest with { Warnings = WhatIfWarnings.OfCalibration(backTest, train, options) };
    }

    /// <summary>Back-tests, then simulates baseline and scenario over the horizon after the training window.</summary>
    public static WhatIfResult Run(IReadOnlyList<CaseTrace> traces, WhatIfScenario scenario, WhatIfOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var cases = Prepare(traces, options);
        var backTest = BackTest(cases, options, cancellationToken);
        var (first, last) = Span(cases);
        // The answer's model learns from the whole log unless a training window is given.
        var trainFrom = options.TrainFromUtc ?? first;
        var trainTo = options.TrainToUtc ?? last.AddTicks(1);
        var model = ProcessCalibrator.Calibrate(Within(cases, trainFrom, trainTo), options.Calibration(trainFrom, trainTo));
        var from = options.HorizonFromUtc ?? Round(trainTo.AddDays(1));
        var to = from.AddDays(options.HorizonDays);
        // A horizon inside the log replays the log's own arrivals: the question becomes "what would that period have
        // looked like", free of the noise of forecasting its arrivals.
        var warmup = from.AddDays(-options.WarmupDays);
        var replay = options.ReplayArrivals && from <= last ? Arrivals(cases, warmup, to) : [];
        var baselineSim = new ProcessSimulation(model, WhatIfScenario.AsIs with { SlaHours = scenario.SlaHours }, from, to, options.WarmupDays, replay, options.CalibrationUncertainty);
        var scenarioSim = new ProcessSimulation(model, scenario, from, to, options.WarmupDays, replay, options.CalibrationUncertainty);
        var runs = new PeriodOutcome[2 * options.Replications];
        Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, i =>
        {
            var sim = i < options.Replications ? baselineSim : scenarioSim;
            runs[i] = sim.Run(options.Seed + i % options.Replications, options.SlaHours, cancellationToken);
        });
        var baseline = runs.Take(options.Replications).ToList();
        var changed = runs.Skip(options.Replications).ToList();
        var result = new WhatIfResult(scenario, from, to, replay.Count > 0, model, baselineSim.PoolSizes, scenarioSim.PoolSizes,
            OutcomeEstimate.Of(baseline), OutcomeEstimate.Of(changed), OutcomeDelta.Of(baseline, changed), backTest);
        return result with { Warnings = WhatIfWarnings.Of(result, cases, options) };
    }

    /// <summary>Runs the replications of a simulation, in parallel.</summary>
    public static OutcomeEstimate Replicate(ProcessSimulation simulation, WhatIfOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(options);
        var runs = new PeriodOutcome[options.Replications];
        Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
            i => runs[i] = simulation.Run(options.Seed + i, options.SlaHours, cancellationToken));
        return OutcomeEstimate.Of(runs);
    }

    private static List<CaseTrace> Prepare(IReadOnlyList<CaseTrace> traces, WhatIfOptions options)
    {
        var cases = options.ExcludeActivities.Count == 0
            ? traces.Where(t => t.Events.Count > 0).ToList()
            : [.. traces.Select(t => t with { Events = [.. t.Events.Where(e => !options.ExcludeActivities.Contains(e.Activity))] }).Where(t => t.Events.Count > 0)];
        if (cases.Count == 0)
            throw new ArgumentException("the log holds no case with events");
        return cases;
    }

    private static List<(DateTime StartUtc, IReadOnlyDictionary<string, string> Attributes)> Arrivals(List<CaseTrace> cases, DateTime from, DateTime to) =>
        [.. cases.Where(c => c.Events[0].Utc >= from && c.Events[0].Utc < to).Select(c => (c.Events[0].Utc, c.Attributes)).OrderBy(c => c.Utc)];

    private static (DateTime First, DateTime Last) Span(List<CaseTrace> cases) => (cases.Min(c => c.Events[0].Utc), cases.Max(c => c.Events[0].Utc));

    private static List<CaseTrace> Within(List<CaseTrace> cases, DateTime from, DateTime to) =>
        [.. cases.Where(c => c.Events[0].Utc >= from && c.Events[0].Utc < to)];

    private static DateTime Round(DateTime utc) => new(utc.Date.Ticks, DateTimeKind.Utc);
}

/// <summary>Settings of a what-if analysis.</summary>
public sealed record WhatIfOptions
{
    /// <summary>Business calendar of all measures and, unless it has per-role calendars, of all approvers.</summary>
    public required BusinessCalendar Calendar { get; init; }

    /// <summary>Training window start (UTC, inclusive; case start instants). Default: the log's first case.</summary>
    public DateTime? TrainFromUtc { get; init; }

    /// <summary>Training window end (exclusive). Default for the back-test: three quarters into the log's span.</summary>
    public DateTime? TrainToUtc { get; init; }

    /// <summary>Test window start (inclusive). Default: the end of the training window.</summary>
    public DateTime? TestFromUtc { get; init; }

    /// <summary>Test window end (exclusive). Default: just after the last case start.</summary>
    public DateTime? TestToUtc { get; init; }

    /// <summary>Start of the simulated horizon of a scenario run. Default: the day after the training data.</summary>
    public DateTime? HorizonFromUtc { get; init; }

    /// <summary>Length of the simulated horizon in days (365).</summary>
    public int HorizonDays { get; init; } = 365;

    /// <summary>Replications per simulation (10).</summary>
    public int Replications { get; init; } = 10;

    /// <summary>Seed of the first replication; replication i uses seed + i, for baseline and scenario alike.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Days of simulated arrivals before a period, to fill the queues (30).</summary>
    public int WarmupDays { get; init; } = 30;

    /// <summary>End-to-end SLA in business hours, for SLA attainment.</summary>
    public double? SlaHours { get; init; }

    /// <summary>Activities left out of the model and the measures (e.g. system notifications running beside the flow).</summary>
    public IReadOnlySet<string> ExcludeActivities { get; init; } = new HashSet<string>();

    /// <summary>Pool sizes that override the estimate.</summary>
    public IReadOnlyDictionary<string, int> PoolSizes { get; init; } = new Dictionary<string, int>();

    /// <summary>A case attribute to condition routing on (e.g. <c>controlled</c>).</summary>
    public string? RouteBy { get; init; }

    /// <summary>Orders meeting all these conditions go ahead of the others waiting for approvers.</summary>
    public IReadOnlyList<Mining.AttributeCondition> Priority { get; init; } = [];

    /// <summary>Roles to model as approver queues.</summary>
    public IReadOnlySet<string> PooledRoles { get; init; } = new HashSet<string>();

    /// <summary>Roles to model as delays.</summary>
    public IReadOnlySet<string> DelayRoles { get; init; } = new HashSet<string>();

    /// <summary>Whether each replication draws the calibrated mean times and arrival level from their sampling distributions (true), so intervals include the calibration's uncertainty.</summary>
    public bool CalibrationUncertainty { get; init; } = true;

    /// <summary>Whether a scenario horizon that overlaps the log replays the log's arrivals there (true).</summary>
    public bool ReplayArrivals { get; init; } = true;

    /// <summary>Replications run at once (the processor count by default).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    internal CalibrationOptions Calibration(DateTime from, DateTime to) => new()
    {
        Calendar = Calendar,
        FromUtc = from,
        ToUtc = to,
        PoolSizes = PoolSizes,
        PooledRoles = PooledRoles,
        DelayRoles = DelayRoles,
        RouteBy = RouteBy,
        Priority = Priority,
    };
}

/// <summary>The back-test of a calibration.</summary>
/// <param name="TrainFromUtc">Training window start.</param>
/// <param name="TrainToUtc">Training window end (exclusive).</param>
/// <param name="TestFromUtc">Test window start.</param>
/// <param name="TestToUtc">Test window end (exclusive).</param>
/// <param name="TrainCases">Cases in the training window.</param>
/// <param name="TestCases">Cases in the test window.</param>
/// <param name="Model">The model calibrated on the training window.</param>
/// <param name="Observed">What happened in the test window.</param>
/// <param name="Simulated">What the model simulated for the window, arrivals drawn from its arrival model.</param>
/// <param name="Validation">Distances and errors of <paramref name="Simulated"/>: the back-test proper, demand forecast included.</param>
/// <param name="Replayed">What the model simulated given the window's real arrivals.</param>
/// <param name="ReplayValidation">Distances and errors of <paramref name="Replayed"/>: how well routing, work times and pools alone reproduce the window.</param>
public sealed record BackTest(DateTime TrainFromUtc, DateTime TrainToUtc, DateTime TestFromUtc, DateTime TestToUtc, int TrainCases, int TestCases,
    CalibratedProcess Model, PeriodOutcome Observed, OutcomeEstimate Simulated, Validation Validation, OutcomeEstimate Replayed, Validation ReplayValidation)
{
    /// <summary>The verdict on the back-test proper (arrivals drawn from the model).</summary>
    public Trust Trust => Validation.Trust;

    /// <summary>What must be read beside the calibration (see <see cref="WhatIfWarnings.OfCalibration"/>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Baseline against scenario.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="FromUtc">Simulated horizon start.</param>
/// <param name="ToUtc">Simulated horizon end (exclusive).</param>
/// <param name="ReplayedArrivals">Whether the log's own arrivals were replayed (the horizon overlaps the log).</param>
/// <param name="Model">The model calibrated on the training window.</param>
/// <param name="BaselinePools">Pool sizes of the baseline.</param>
/// <param name="ScenarioPools">Pool sizes of the scenario.</param>
/// <param name="Baseline">The process as calibrated.</param>
/// <param name="Outcome">The process with the scenario's changes.</param>
/// <param name="Delta">Scenario minus baseline, paired by replication.</param>
/// <param name="BackTest">How well the calibration reproduced a held-out window.</param>
public sealed record WhatIfResult(WhatIfScenario Scenario, DateTime FromUtc, DateTime ToUtc, bool ReplayedArrivals, CalibratedProcess Model,
    IReadOnlyDictionary<string, int> BaselinePools, IReadOnlyDictionary<string, int> ScenarioPools,
    OutcomeEstimate Baseline, OutcomeEstimate Outcome, OutcomeDelta Delta, BackTest BackTest)
{
    /// <summary>What must be read beside the figures (see <see cref="WhatIfWarnings"/>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Scenario minus baseline per measure, each with the interval of the paired differences.</summary>
/// <param name="P50Hours">Change of the median end-to-end time.</param>
/// <param name="P90Hours">Change of the 90th percentile.</param>
/// <param name="MeanHours">Change of the mean.</param>
/// <param name="ThroughputPerWeek">Change of throughput.</param>
/// <param name="WorkInProgress">Change of work in progress.</param>
/// <param name="SlaAttainment">Change of SLA attainment.</param>
/// <param name="Nodes">Changes of waiting per activity.</param>
/// <param name="Roles">Changes of waiting per role.</param>
/// <param name="Utilisation">Changes of utilisation per pooled role.</param>
public sealed record OutcomeDelta(Estimate P50Hours, Estimate P90Hours, Estimate MeanHours, Estimate ThroughputPerWeek, Estimate WorkInProgress, Estimate? SlaAttainment,
    IReadOnlyList<NodeDelta> Nodes, IReadOnlyList<NodeDelta> Roles, IReadOnlyList<(string Role, Estimate Utilisation)> Utilisation)
{
    /// <summary>Pairs replication i of the baseline with replication i of the scenario.</summary>
    public static OutcomeDelta Of(IReadOnlyList<PeriodOutcome> baseline, IReadOnlyList<PeriodOutcome> scenario)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(scenario);
        Estimate D(Func<PeriodOutcome, double> f) => Estimate.Of(baseline.Zip(scenario, (b, s) => f(s) - f(b)));
        List<NodeDelta> Nodes(Func<PeriodOutcome, IReadOnlyList<NodeWait>> select)
        {
            var names = baseline.Concat(scenario).SelectMany(r => select(r).Select(n => n.Node)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            return [.. names.Select(name =>
            {
                double Of(PeriodOutcome r, Func<NodeWait, double> f) => select(r).FirstOrDefault(n => n.Node == name) is { } w ? f(w) : double.NaN;
                return new NodeDelta(name, D(r => Of(r, w => w.MeanWaitHours)), D(r => Of(r, w => w.P50WaitHours)), D(r => Of(r, w => w.P90WaitHours)));
            })];
        }
        var roles = baseline.SelectMany(r => r.Utilisation.Select(u => u.Role)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new OutcomeDelta(D(r => r.P50Hours), D(r => r.P90Hours), D(r => r.MeanHours), D(r => r.ThroughputPerWeek), D(r => r.WorkInProgress),
            baseline.Count > 0 && baseline[0].SlaAttainment is not null ? D(r => r.SlaAttainment ?? double.NaN) : null,
            Nodes(r => r.Nodes), Nodes(r => r.Roles),
            [.. roles.Select(role => (role, D(r => r.Utilisation.FirstOrDefault(u => u.Role == role)?.Utilisation ?? double.NaN)))]);
    }
}

/// <summary>Change of waiting before one node (activity or role), business hours.</summary>
/// <param name="Node">Activity or role.</param>
/// <param name="MeanWaitHours">Change of the mean wait.</param>
/// <param name="P50WaitHours">Change of the median wait.</param>
/// <param name="P90WaitHours">Change of the 90th percentile.</param>
public sealed record NodeDelta(string Node, Estimate MeanWaitHours, Estimate P50WaitHours, Estimate P90WaitHours);
