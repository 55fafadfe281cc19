using Analytics.Core.Calendars;
using Analytics.Core.Simulation;

namespace Analytics.Core.WhatIf;

/// <summary>
/// Runs a <see cref="CalibratedProcess"/>, changed by a <see cref="WhatIfScenario"/>, on the discrete-event core the
/// demo generator uses (<see cref="Agenda{T}"/>, <see cref="Sampler"/>, <see cref="BusinessClock"/>): cases arrive
/// day by day, walk the routing chain, queue for approvers of pooled roles, and are measured like the log.
/// </summary>
/// <remarks>
/// Approvers take waiting orders first come, first served, those matching the model's priority conditions first.
/// Cases arriving in a warm-up before the period fill the queues; only cases that start in the period are measured,
/// each followed to its end. Deterministic for a seed. One instance may run several replications one after another
/// or concurrently (a run keeps its state to itself).
/// </remarks>
public sealed class ProcessSimulation
{
    private const int MaxStepsPerCase = 400;
    private readonly CalibratedProcess _model;
    private readonly WhatIfScenario _scenario;
    private readonly int[] _poolOf;
    private readonly string[] _poolRole;
    private readonly int[] _poolSize;
    private readonly string[] _poolRoleOf;
    private readonly int[] _poolMultitasking;
    private readonly Dictionary<string, (string Attribute, Dictionary<string, int> Pools)> _segmentPools;
    private readonly (string Attribute, Dictionary<string, int> Pools)?[] _activitySegments;
    private readonly BusinessClock[] _poolClock;
    private readonly BusinessClock[][] _serverClock;
    private readonly BusinessClock[] _delayClock;
    private readonly BusinessClock _measure;
    private readonly double[] _workFactor;
    private readonly bool _calibrationUncertainty;
    private readonly bool[] _review;
    private readonly bool[] _positive;
    private readonly double _block;
    private readonly double _force;
    private readonly double? _positiveRate;
    private readonly NodeChange?[] _skip;
    private readonly int[] _mergeInto;
    private readonly DateTime _warmupUtc;
    private readonly DateTime _fromUtc;
    private readonly DateTime _toUtc;
    private readonly IReadOnlyList<(DateTime StartUtc, IReadOnlyDictionary<string, string> Attributes)> _replay;
    private readonly DateTime[] _replayStarts;
    private readonly DateTime _replayUntilUtc;

    /// <summary>Prepares runs over the period <c>[fromUtc, toUtc)</c>.</summary>
    /// <param name="model">The calibrated process.</param>
    /// <param name="scenario">The change to simulate (<see cref="WhatIfScenario.AsIs"/> for the baseline).</param>
    /// <param name="fromUtc">First arrival measured (inclusive).</param>
    /// <param name="toUtc">End of arrivals measured (exclusive).</param>
    /// <param name="warmupDays">Days of arrivals before the period that fill the queues (not measured).</param>
    /// <exception cref="ArgumentException">The scenario names a node, role or activity the model does not have.</exception>
    /// <param name="replay">Observed arrivals (case start and attributes, ascending) to replay instead of drawing arrivals, up to the last of them; empty to draw all.</param>
    /// <param name="calibrationUncertainty">Whether each replication draws its mean work and response times and its arrival level from their sampling distributions (a parametric bootstrap of the calibration), so intervals include the calibration's own uncertainty.</param>
    public ProcessSimulation(CalibratedProcess model, WhatIfScenario scenario, DateTime fromUtc, DateTime toUtc, int warmupDays = 30,
        IReadOnlyList<(DateTime StartUtc, IReadOnlyDictionary<string, string> Attributes)>? replay = null, bool calibrationUncertainty = true)
    {
        _calibrationUncertainty = calibrationUncertainty;
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scenario);
        if (toUtc <= fromUtc)
            throw new ArgumentException("the simulated period is empty", nameof(toUtc));
        _model = model;
        _scenario = scenario;
        _fromUtc = fromUtc;
        _toUtc = toUtc;
        _warmupUtc = fromUtc.AddDays(-Math.Max(0, warmupDays));
        _replay = replay ?? [];
        _replayStarts = [.. _replay.Select(r => r.StartUtc)];
        _replayUntilUtc = _replay.Count == 0 ? DateTime.MinValue : _replay[^1].StartUtc.AddTicks(1);
        var acts = model.Activities;
        var n = acts.Count;
        // Cases may outlive the period by a long tail; clocks reach three years past it.
        var clockFrom = _warmupUtc.AddDays(-3);
        var clockTo = toUtc.AddDays(3 * 365);
        var clocks = new Dictionary<BusinessCalendar, BusinessClock>(ReferenceEqualityComparer.Instance);
        BusinessClock ClockFor(BusinessCalendar c)
        {
            if (!clocks.TryGetValue(c, out var clock))
                clocks[c] = clock = BusinessClock.Build(c, clockFrom, clockTo);
            return clock;
        }
        BusinessCalendar CalendarOfRole(string role) =>
            scenario.Calendars.TryGetValue(role, out var own) ? own
            : scenario.Calendars.TryGetValue("*", out var all) ? all
            : ProcessCalibrator.CalendarOf(model.Calendar, role);
        _measure = ClockFor(model.Calendar);

        foreach (var change in scenario.Pools)
            if (!model.Pools.Any(p => p.Role == change.Role) && !model.ServerPools.Any(p => p.Name == change.Role))
                throw new ArgumentException($"scenario '{scenario.Name}': pools: no role or pool '{change.Role}' in the model (roles: {string.Join(", ", model.Pools.Select(p => p.Role))}; pools: {string.Join(", ", model.ServerPools.Select(p => p.Name))})");
        foreach (var role in scenario.WorkTime.Keys)
            if (!model.Pools.Any(p => p.Role == role))
                throw new ArgumentException($"scenario '{scenario.Name}': workTime: no role '{role}' in the model");
        _workFactor = [.. acts.Select(a => scenario.WorkTime.GetValueOrDefault(a.Role, 1.0))];
        foreach (var role in scenario.Calendars.Keys)
            if (role != "*" && !model.Pools.Any(p => p.Role == role))
                throw new ArgumentException($"scenario '{scenario.Name}': calendars: no role '{role}' in the model");
        var pooledRoles = model.Pools.Where(p => p.Pooled).Select(p => p.Role).ToHashSet(StringComparer.Ordinal);
        var pooled = model.ServerPools.Where(p => pooledRoles.Contains(p.Role)).ToList();
        // A role pooled without a discovered pool (no named individual's completions) queues for one pool of its size.
        foreach (var role in model.Pools.Where(p => p.Pooled && !pooled.Any(q => q.Role == p.Role)))
            pooled.Add(new DiscoveredPool(role.Role, role.Role, null, [], [], [], role.Size, 1, "", 0));
        _poolRole = [.. pooled.Select(p => p.Name)];
        _poolRoleOf = [.. pooled.Select(p => p.Role)];
        _poolMultitasking = [.. pooled.Select(p => Math.Max(1, p.Multitasking))];
        _poolSize = [.. pooled.Select(p => p.Size)];
        foreach (var change in scenario.Pools)
        {
            var exact = pooled.FindIndex(p => p.Name == change.Role);
            int[] targets = exact >= 0 ? [exact] : [.. pooled.Select((p, i) => (p, i)).Where(x => x.p.Role == change.Role).Select(x => x.i)];
            if (targets.Length == 0)
                throw new ArgumentException($"scenario '{scenario.Name}': pools: '{change.Role}' is modelled as a delay, not a queue of approvers (its resources are the requester, a shared account or a batch job), so a change of its capacity would change nothing; calibrate with a pool size for it (--pool {change.Role}=N) to make it one");
            if (targets.Length == 1)
                _poolSize[targets[0]] = change.Apply(_poolSize[targets[0]]);
            else if (change.Size is { } total)
            {
                // A role of several pools: a new total is shared in proportion to today's sizes.
                var today = targets.Sum(t => _poolSize[t]);
                foreach (var t in targets)
                    _poolSize[t] = Math.Max(1, (int)Math.Round(total * (double)_poolSize[t] / today));
            }
            else
            {
                // "+1" / "-1" on a role of several pools: the change goes to (or comes from) the pool with the most
                // work per approver (or, for a cut, the least).
                var pick = change.Change >= 0
                    ? targets.MaxBy(t => pooled[t].Items / (double)Math.Max(1, _poolSize[t]))
                    : targets.MinBy(t => pooled[t].Items / (double)Math.Max(1, _poolSize[t]));
                _poolSize[pick] += change.Change;
            }
        }
        for (var i = 0; i < _poolSize.Length; i++)
            if (_poolSize[i] < 1)
                throw new ArgumentException($"scenario '{scenario.Name}': pools.{_poolRole[i]} leaves no approver (the model has {pooled[i].Size}); to do without the node, skip it under 'nodes'");
        _poolClock = [.. pooled.Select(p => ClockFor(CalendarOfRole(p.Role)))];
        // Server j of a pool is slot j mod k of approver j ÷ k, who works the hours of the pool's j ÷ k-th most active
        // member (their own calendar where one was found), unless the scenario gives the role a calendar.
        _serverClock = [.. pooled.Select((p, i) => Enumerable.Range(0, _poolSize[i] * _poolMultitasking[i]).Select(j =>
        {
            var member = j / _poolMultitasking[i];
            var overridden = scenario.Calendars.ContainsKey(p.Role) || scenario.Calendars.ContainsKey("*");
            return !overridden && member < p.Members.Count && model.ResourceCalendars.TryGetValue(p.Members[member], out var own) ? ClockFor(own) : _poolClock[i];
        }).ToArray())];
        // Each pooled activity queues for its role's pool; a role split by a case attribute routes by the case's value.
        _poolOf = [.. acts.Select(a => a.Pooled ? LargestPool(pooled, a.Role) : -1)];
        _segmentPools = new Dictionary<string, (string Attribute, Dictionary<string, int> Pools)>(StringComparer.Ordinal);
        for (var i = 0; i < pooled.Count; i++)
        {
            if (pooled[i].SplitBy is not { } by)
                continue;
            if (!_segmentPools.TryGetValue(pooled[i].Role, out var table))
                _segmentPools[pooled[i].Role] = table = (by, new Dictionary<string, int>(StringComparer.Ordinal));
            foreach (var v in pooled[i].Segments)
                table.Pools[v] = i;
        }
        _activitySegments = [.. acts.Select(a => a.Pooled && _segmentPools.TryGetValue(a.Role, out var t) ? t : ((string, Dictionary<string, int>)?)null)];
        _delayClock = [.. acts.Select(a => ClockFor(CalendarOfRole(a.Role)))];

        _review = new bool[n];
        _positive = new bool[n];
        if (scenario.Review is { } review)
        {
            for (var i = 0; i < n; i++)
                _review[i] = review.Matches(acts[i]);
            if (!_review.Any(r => r))
                throw new ArgumentException($"scenario '{scenario.Name}': review.node '{review.Node}' matches no activity or role of the model");
            var today = model.ShareVisiting(review.Matches);
            if (today <= 0)
                throw new ArgumentException($"scenario '{scenario.Name}': no training case visits '{review.Node}'");
            // Cases are blocked from (or forced into) the node at random so that the share of all cases visiting it
            // becomes the target.
            _block = review.Share < today ? 1 - review.Share / today : 0;
            _force = review.Share > today && today < 1 ? (review.Share - today) / (1 - today) : 0;
            if (review.Policy == "model")
            {
                foreach (var name in review.PositiveOutcomes!)
                {
                    if (!model.Index.TryGetValue(name, out var k) || !_review[k])
                        throw new ArgumentException($"scenario '{scenario.Name}': review.positiveOutcomes: '{name}' is not an activity of node '{review.Node}'");
                    _positive[k] = true;
                }
                var positiveToday = model.ShareVisiting(a => model.Index.TryGetValue(a.Name, out var k) && _positive[k]);
                var recall = review.Recall ?? throw new ArgumentException($"scenario '{scenario.Name}': review.policy 'model' needs a recall (none given and no routing model)");
                // Of the cases reviewed, this share holds a positive outcome: recall × positives ÷ share reviewed.
                _positiveRate = review.Share > 0 ? Math.Clamp(recall * positiveToday / review.Share, 0, 1) : 0;
            }
        }
        _skip = new NodeChange?[n];
        _mergeInto = Enumerable.Repeat(-1, n).ToArray();
        foreach (var change in scenario.Nodes)
        {
            var matched = false;
            for (var i = 0; i < n; i++)
            {
                if (!NodeMatch.Matches(change.Activity, acts[i].Name, acts[i].Role))
                    continue;
                matched = true;
                if (change.Action == "skip")
                    _skip[i] = change;
                else if (model.Index.TryGetValue(change.Into!, out var into))
                    _mergeInto[i] = into;
                else
                    throw new ArgumentException($"scenario '{scenario.Name}': merge into '{change.Into}': no such activity");
            }
            if (!matched)
                throw new ArgumentException($"scenario '{scenario.Name}': nodes: '{change.Activity}' matches no activity or role of the model");
        }
    }

    private static int LargestPool(List<DiscoveredPool> pools, string role)
    {
        var best = -1;
        for (var i = 0; i < pools.Count; i++)
            if (pools[i].Role == role && (best < 0 || pools[i].Items > pools[best].Items))
                best = i;
        return best;
    }

    /// <summary>The pool an activity of a case queues for: its role's, or the pool of the case's segment.</summary>
    private int PoolFor(int activity, IReadOnlyDictionary<string, string>? attributes)
    {
        if (_activitySegments[activity] is { } seg && attributes is not null && attributes.TryGetValue(seg.Attribute, out var value)
            && seg.Pools.TryGetValue(value, out var own))
            return own;
        return _poolOf[activity];
    }

    /// <summary>Pool sizes in this scenario (approvers), by pool: the role, or <c>ROLE/value</c> for a segment's pool.</summary>
    public IReadOnlyDictionary<string, int> PoolSizes => _poolRole.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => _poolSize[x.i], StringComparer.Ordinal);

    /// <summary>One replication.</summary>
    /// <param name="seed">Seed of every draw.</param>
    /// <param name="slaHours">Optional SLA (the scenario's wins).</param>
    /// <param name="cancellationToken">Checked every few thousand steps.</param>
    public PeriodOutcome Run(int seed, double? slaHours, CancellationToken cancellationToken)
    {
        var run = new Replication(this, seed, _scenario.SlaHours ?? slaHours);
        return run.Execute(cancellationToken);
    }

    private IEnumerable<(DateTime StartUtc, IReadOnlyDictionary<string, string> Attributes)> ReplayedBetween(DateTime fromUtc, DateTime toUtc)
    {
        var i = Array.BinarySearch(_replayStarts, fromUtc);
        if (i < 0)
            i = ~i;
        while (i > 0 && _replayStarts[i - 1] == fromUtc)
            i--;
        for (; i < _replayStarts.Length && _replayStarts[i] < toUtc; i++)
            yield return _replay[i];
    }

    private sealed class SimCase
    {
        public int Prev = -1;
        public int Cur;
        public DateTime Start;
        public DateTime Last;
        public IReadOnlyDictionary<string, string>? Attributes;
        public bool Urgent;
        public int Mode; // 0 as calibrated, 1 kept away from the review node, 2 sent to it
        public int Steps;
        public bool Measured;
        public HashSet<string>? Visits;
    }

    private readonly record struct Happening(int Kind, SimCase? Case, int Activity, int Pool, int Server);

    private sealed class Replication
    {
        private const int DayStart = 0, Arrive = 1, Complete = 2;
        private readonly ProcessSimulation _s;
        private readonly CalibratedProcess _m;
        private readonly Sampler _sampler;
        private readonly Sampler _arrivals;
        private readonly Agenda<Happening> _agenda = new();
        private readonly Queue<int>[] _free;
        private readonly PriorityQueue<(SimCase Case, int Activity), (int Class, long Seq)>[] _waiting;
        private long _queued;
        private readonly double[] _busy;
        private readonly OutcomeCollector _collector;
        private readonly double[] _workScale;
        private readonly DurationDistribution[] _work;
        private readonly IReadOnlyDictionary<(int Prev, int Cur), DurationDistribution> _edgeDelays;
        private readonly double _levelScale;
        private readonly double[] _weights = new double[1024];
        private readonly DateOnly _firstDay;
        private readonly DateOnly _lastDay;
        private readonly TimeZoneInfo _zone;

        public Replication(ProcessSimulation s, int seed, double? slaHours)
        {
            _s = s;
            _m = s._model;
            // Arrivals draw from their own stream, so a scenario that changes the process (not the demand) sees the
            // very same cases arrive as the baseline replication with the same seed.
            _arrivals = new Sampler(seed);
            _sampler = new Sampler(unchecked(seed * 31 + 17));
            // Each approver holds as many orders at once as their pool's multitasking: one server per slot.
            _free = [.. s._poolSize.Select((size, p) => new Queue<int>(Enumerable.Range(0, size * s._poolMultitasking[p])))];
            _waiting = [.. s._poolSize.Select(_ => new PriorityQueue<(SimCase, int), (int, long)>())];
            _busy = new double[s._poolSize.Length];
            _collector = new OutcomeCollector(s._measure, s._fromUtc, s._toUtc, slaHours, _m.Calendar.TimeZone);
            // The calibration's uncertainty, drawn once per replication from its own stream (so baseline and scenario
            // replication i share it): each activity's mean time and the arrival level scaled by a normal draw of
            // their relative standard errors.
            var bootstrap = new Sampler(unchecked(seed * 104_729 + 7));
            // Each replication works from a bootstrap resample of every activity's observed times (and of every edge's
            // response times): the calibration's uncertainty in the whole distribution, tail included.
            _work = [.. _m.Activities.Select(a => s._calibrationUncertainty ? a.Work.Bootstrap(bootstrap) : a.Work)];
            _edgeDelays = s._calibrationUncertainty
                ? _m.EdgeDelays.OrderBy(e => e.Key).ToDictionary(e => e.Key, e => e.Value.Bootstrap(bootstrap))
                : _m.EdgeDelays;
            _workScale = [.. _m.Activities.Select(a => s._workFactor[_m.Index[a.Name]])];
            _levelScale = s._calibrationUncertainty ? Math.Max(0.5, 1 + _m.Arrivals.LevelRelativeError * bootstrap.Normal()) : 1;
            _zone = _m.Calendar.TimeZone;
            _firstDay = ArrivalModel.LocalDate(s._warmupUtc, _zone);
            _lastDay = ArrivalModel.LocalDate(s._toUtc.AddTicks(-1), _zone);
        }

        public PeriodOutcome Execute(CancellationToken cancellationToken)
        {
            for (var d = _firstDay; d <= _lastDay; d = d.AddDays(1))
                _agenda.At(LocalToUtc(d, 0), new Happening(DayStart, null, d.DayNumber, 0, 0));
            var steps = 0L;
            while (_agenda.TryNext(out var h, out var now))
            {
                switch (h.Kind)
                {
                    case DayStart: Day(DateOnly.FromDayNumber(h.Activity)); break;
                    case Arrive: Start(h.Case!, now); break;
                    default: Done(h, now); break;
                }
                if (++steps % 8192 == 0)
                    cancellationToken.ThrowIfCancellationRequested();
            }
            var use = new List<PoolUse>();
            for (var p = 0; p < _busy.Length; p++)
            {
                var available = _s._serverClock[p].Sum(c => c.Between(_s._fromUtc, _s._toUtc));
                use.Add(new PoolUse(_s._poolRole[p], _s._poolSize[p], available > 0 ? _busy[p] / available : double.NaN));
            }
            return _collector.Result(use);
        }

        private void Day(DateOnly day)
        {
            var multiplier = _s._scenario.VolumeMultiplier;
            foreach (var peak in _s._scenario.Peaks)
                if (day >= peak.From && day < peak.To)
                    multiplier *= peak.Multiplier;
            var dayStart = LocalToUtc(day, 0);
            var dayEnd = LocalToUtc(day.AddDays(1), 0);
            if (dayStart < _s._replayUntilUtc)
            {
                // Replayed: the log's own arrivals of the day (thinned for a multiplier below 1), plus model arrivals
                // for the part of a multiplier above 1.
                foreach (var (at, attributes) in _s.ReplayedBetween(dayStart, dayEnd))
                    if (multiplier >= 1 || _arrivals.Chance(multiplier))
                        Arrival(at, attributes);
                if (multiplier > 1)
                    Generate(day, (multiplier - 1) * _m.Arrivals.Rate(day) * _levelScale);
                return;
            }
            Generate(day, _m.Arrivals.Rate(day) * multiplier * _levelScale);
        }

        private void Generate(DateOnly day, double rate)
        {
            var count = _arrivals.Poisson(rate);
            for (var i = 0; i < count; i++)
            {
                var at = LocalToUtc(day, _m.Arrivals.TimeOfDay(day, _arrivals));
                Arrival(at, _m.AttributeTemplates.Count == 0 ? null : _m.AttributeTemplates[_arrivals.Next(_m.AttributeTemplates.Count)]);
            }
        }

        private void Arrival(DateTime at, IReadOnlyDictionary<string, string>? attributes)
        {
            if (at < _s._warmupUtc || at >= _s._toUtc)
                return;
            var c = new SimCase { Start = at, Last = at, Attributes = attributes, Measured = at >= _s._fromUtc };
            c.Urgent = _m.Priority.Count > 0 && attributes is not null && _m.Priority.All(p => p.Holds(attributes));
            if (c.Measured)
                c.Visits = new HashSet<string>(StringComparer.Ordinal);
            var u = _arrivals.Uniform();
            c.Mode = u < _s._block ? 1 : u < _s._block + _s._force ? 2 : 0;
            _agenda.At(at, new Happening(Arrive, c, 0, 0, 0));
        }

        private DateTime LocalToUtc(DateOnly day, double seconds)
        {
            var local = day.ToDateTime(TimeOnly.MinValue).AddSeconds(seconds);
            try
            {
                return TimeZoneInfo.ConvertTimeToUtc(local, _zone);
            }
            catch (ArgumentException)
            {
                // A local time skipped by a daylight-saving change: take the hour after.
                return TimeZoneInfo.ConvertTimeToUtc(local.AddHours(1), _zone);
            }
        }

        private void Start(SimCase c, DateTime now)
        {
            c.Cur = Choose(_m.Start, c, now);
            if (c.Cur < 0)
                return;
            Visit(c, c.Cur);
            Next(c, now);
        }

        // heldPool/heldServer: the approver who just completed the case's previous activity (pool -1 for none), released
        // here once the next activity is known, unless that activity is merged into the one they just did.
        private void Next(SimCase c, DateTime now, int heldPool = -1, int heldServer = 0)
        {
            while (true)
            {
                if (++c.Steps > MaxStepsPerCase)
                {
                    Release(heldPool, heldServer, now);
                    End(c);
                    return;
                }
                var successors = Successors(c);
                var next = Choose(successors, c, now);
                if (next < 0)
                {
                    Release(heldPool, heldServer, now);
                    End(c);
                    return;
                }
                if (_s._skip[next] is { } skip && (skip.Where.Count == 0 || (c.Attributes is { } attributes && skip.Where.All(w => w.Holds(attributes)))))
                {
                    // Skipped: the routing moves on as if the activity had happened, at no time and with no event.
                    c.Prev = c.Cur;
                    c.Cur = next;
                    continue;
                }
                var activity = _m.Activities[next];
                var pool = _s._poolOf[next] < 0 ? -1 : _s.PoolFor(next, c.Attributes);
                if (_s._mergeInto[next] == c.Cur && heldPool >= 0)
                {
                    // Merged: the approver who just finished does this too, at once and still busy.
                    Work(c, next, heldPool, heldServer, now);
                    return;
                }
                Release(heldPool, heldServer, now);
                if (_s._mergeInto[next] == c.Cur || pool < 0)
                {
                    var delay = (pool < 0 && _edgeDelays.TryGetValue((c.Cur, next), out var edge) ? edge.Sample(_sampler) : _work[next].Sample(_sampler)) * _workScale[next];
                    if (pool < 0 && _m.Seasonality.Applies)
                        delay *= _m.Seasonality.At(now);
                    var clock = pool < 0 ? _s._delayClock[next] : _s._poolClock[pool];
                    _agenda.At(clock.Add(now, delay), new Happening(Complete, c, next, -1, 0));
                    return;
                }
                if (_free[pool].TryDequeue(out var server))
                    Work(c, next, pool, server, now);
                else
                    _waiting[pool].Enqueue((c, next), (c.Urgent ? 0 : 1, _queued++));
                return;
            }
        }

        /// <summary>An approver becomes free: the first waiting order is theirs, else they join the free ones.</summary>
        private void Release(int pool, int server, DateTime now)
        {
            if (pool < 0)
                return;
            if (_waiting[pool].TryDequeue(out var next, out _))
                Work(next.Case, next.Activity, pool, server, now);
            else
                _free[pool].Enqueue(server);
        }

        private Successors Successors(SimCase c)
        {
            var general = _m.Pairs.TryGetValue((c.Prev, c.Cur), out var pair) ? pair : _m.Singles[c.Cur];
            if (_m.RouteBy is not { } by || !_m.SegmentPairs.TryGetValue((c.Attributes?.GetValueOrDefault(by) ?? "", c.Prev, c.Cur), out var own))
                return general;
            // At a review decision a case kept away from (or sent to) the review node takes the branching of all cases
            // there: its own segment's other branches are rarities (for orders that always go to review, a duplicate
            // event) that would otherwise take all of its weight.
            if (c.Mode != 0 && (Offers(own, review: true) || Offers(general, review: true)))
                return general;
            return own;
        }

        private bool Offers(Successors s, bool review)
        {
            foreach (var k in s.Next)
                if ((k >= 0 && _s._review[k]) == review)
                    return true;
            return false;
        }

        private void Work(SimCase c, int activity, int pool, int server, DateTime now)
        {
            var work = _work[activity].Sample(_sampler) * _workScale[activity];
            if (now >= _s._fromUtc && now < _s._toUtc)
                _busy[pool] += work;
            _agenda.At(_s._serverClock[pool][server].Add(now, work), new Happening(Complete, c, activity, pool, server));
        }

        private void Done(Happening h, DateTime now)
        {
            var c = h.Case!;
            var a = _m.Activities[h.Activity];
            if (c.Measured)
                _collector.Wait(a.Name, a.Role, c.Last, now);
            Visit(c, h.Activity);
            c.Last = now;
            c.Prev = c.Cur;
            c.Cur = h.Activity;
            Next(c, now, h.Pool, h.Server);
        }

        private void Visit(SimCase c, int activity)
        {
            if (c.Visits is null)
                return;
            var a = _m.Activities[activity];
            c.Visits.Add(a.Name);
            c.Visits.Add(a.Role);
        }

        private void End(SimCase c)
        {
            if (c.Measured)
                _collector.Case(c.Start, c.Last, c.Visits!);
        }

        private int Choose(Successors s, SimCase c, DateTime now)
        {
            if (s.Next.Length == 0)
                return -1;
            var w = s.Next.Length <= _weights.Length ? _weights.AsSpan(0, s.Next.Length) : new double[s.Next.Length];
            s.Weights.CopyTo(w);
            var review = _s._review;
            var anyReview = false;
            var anyOther = false;
            foreach (var k in s.Next)
            {
                if (k >= 0 && review[k]) anyReview = true;
                else anyOther = true;
            }
            if (anyReview && anyOther && c.Mode != 0)
                for (var i = 0; i < w.Length; i++)
                    if ((s.Next[i] >= 0 && review[s.Next[i]]) == (c.Mode == 1))
                        w[i] = 0;
            if (anyReview && _s._positiveRate is { } rate)
                Reweight(s.Next, w, rate);
            return s.Next[_sampler.Choose(w)];
        }

        private void Reweight(int[] next, Span<double> w, double rate)
        {
            // Among the review outcomes offered here, positives take the share the routing model implies.
            double pos = 0, neg = 0;
            for (var i = 0; i < w.Length; i++)
            {
                if (next[i] < 0 || !_s._review[next[i]])
                    continue;
                if (_s._positive[next[i]]) pos += w[i];
                else neg += w[i];
            }
            if (pos <= 0 || neg <= 0)
                return;
            var reviewTotal = pos + neg;
            for (var i = 0; i < w.Length; i++)
            {
                if (next[i] < 0 || !_s._review[next[i]])
                    continue;
                w[i] = _s._positive[next[i]] ? w[i] / pos * rate * reviewTotal : w[i] / neg * (1 - rate) * reviewTotal;
            }
        }
    }
}
