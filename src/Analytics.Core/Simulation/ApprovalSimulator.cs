using System.Globalization;
using Analytics.Core.Calendars;

namespace Analytics.Core.Simulation;

/// <summary>
/// A discrete-event simulation of special-price approvals. Orders arrive on working days (more in July–August and
/// December); each approval node is a pool of approvers who work the calendar's office hours and take waiting orders
/// first-come first-served (orders above 1 M CNY first). Waiting is not written in: it emerges from the load on each
/// pool, so routing fewer orders to PMs shortens PM waiting by itself.
/// </summary>
/// <remarks>Deterministic for a seed. Memory is bounded by the orders in flight, not by the number of orders.</remarks>
public sealed class ApprovalSimulator
{
    private const string Rm = "REGIONAL_MANAGER";
    private const string Pd = "PRICE_DESK";
    private const string Pm = "PRODUCT_MANAGER";
    private const string Fin = "FINANCE";
    private readonly ApprovalProcessModel _model;
    private readonly Sampler _sampler;
    private readonly Sampler _process;
    private readonly Sampler _routingSampler;
    private readonly BusinessClock _clock;
    private readonly Agenda<Action> _agenda = new();
    private readonly Dictionary<string, Pool> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _splitBy = new(StringComparer.Ordinal);
    private readonly Dictionary<Order, CaseState> _open = [];
    private readonly DateTime _startUtc;
    private ISimulationSink _sink = null!;
    private SimulatedEvent? _held;
    private long _seq;
    private long _events;

    /// <summary>Prepares a run of the model.</summary>
    public ApprovalSimulator(ApprovalProcessModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _sampler = new Sampler(model.Seed);
        _process = model.ProcessSeed is { } processSeed ? new Sampler(processSeed) : _sampler;
        // Routing draws come from their own stream, so changing the routing leaves the orders themselves unchanged.
        _routingSampler = new Sampler(unchecked(model.Seed * 7919 + 17));
        var zone = model.Calendar.TimeZone;
        _startUtc = TimeZoneInfo.ConvertTimeToUtc(model.Start.ToDateTime(TimeOnly.MinValue), zone);
        _clock = BusinessClock.Build(model.Calendar, _startUtc.AddDays(-2), _startUtc.AddDays(model.Days + 400));
        SizePools();
    }

    /// <summary>The approver pools with their sizes (derived from demand where the model left them at 0).</summary>
    /// <remarks>A pool split by an order attribute appears once per value, as <c>ROLE/value</c>.</remarks>
    public IReadOnlyDictionary<string, int> PoolSizes => _pools.ToDictionary(p => p.Key, p => p.Value.Names.Length);

    /// <summary>Every approver's true pool (<c>ROLE</c> or <c>ROLE/value</c>), for checking pool discovery against the truth.</summary>
    public IReadOnlyDictionary<string, string> ApproverPools =>
        _pools.SelectMany(p => p.Value.Names.Select(n => (n, p.Key))).ToDictionary(x => x.n, x => x.Key, StringComparer.Ordinal);

    /// <summary>Runs the simulation to the end, sending every event to the sink.</summary>
    /// <returns>Counts of what happened.</returns>
    public SimulationSummary Run(ISimulationSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        var factory = new OrderFactory(_model, _sampler);
        var summary = new SimulationSummary();
        ScheduleArrivals(factory, summary);
        var steps = 0L;
        while (_agenda.TryNext(out var action, out _))
        {
            action();
            if (++steps % 65536 == 0)
                cancellationToken.ThrowIfCancellationRequested();
        }
        Flush();
        summary.Events = _events;
        return summary;
    }

    private void ScheduleArrivals(OrderFactory factory, SimulationSummary summary)
    {
        // Spread exactly N orders over the days by sequential binomial draws on each day's seasonal weight.
        var zone = _model.Calendar.TimeZone;
        var days = Enumerable.Range(0, _model.Days).Select(d => _model.Start.AddDays(d)).ToList();
        var weights = days.Select(Weight).ToArray();
        var remainingWeight = weights.Sum();
        var remaining = _model.Orders;
        for (var d = 0; d < days.Count && remaining > 0; d++)
        {
            var p = remainingWeight <= 0 ? 1 : Math.Min(1, weights[d] / remainingWeight);
            var n = d == days.Count - 1 ? remaining : Binomial(remaining, p);
            remaining -= n;
            remainingWeight -= weights[d];
            var day = days[d];
            // Each day's orders are created when the day begins, so only one day of arrivals is in memory at a time.
            At(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), zone), () =>
            {
                var summer = day.Month is 7 or 8;
                var times = Enumerable.Range(0, n).Select(_ => FilingTime(day)).Order().ToList();
                foreach (var t in times)
                {
                    var order = factory.Create(t, summer);
                    summary.Orders++;
                    if (order.Controlled) summary.Controlled++;
                    if (order.PmReviewNeeded) summary.ReviewNeeded++;
                    At(t, () => File(order));
                }
            });
        }
    }

    private double Weight(DateOnly day)
    {
        var working = _model.Calendar.PeriodsOn(day).Count > 0;
        var season = day.Month switch { 7 or 8 => 1.35, 12 => 1.5, _ => 1.0 };
        return (working ? 1.0 : 0.04) * season;
    }

    private DateTime FilingTime(DateOnly day)
    {
        // Most filings in office hours, some in the evening.
        var hour = _sampler.Chance(0.88) ? _sampler.Uniform(8.5, 18.5) : _sampler.Uniform(18.5, 22.5);
        var local = day.ToDateTime(TimeOnly.MinValue).AddHours(hour);
        return TimeZoneInfo.ConvertTimeToUtc(local, _model.Calendar.TimeZone);
    }

    private int Binomial(int n, double p)
    {
        if (n * p > 30 && n * (1 - p) > 30)
            return Math.Clamp((int)Math.Round(n * p + Math.Sqrt(n * p * (1 - p)) * _sampler.Normal()), 0, n);
        var k = 0;
        for (var i = 0; i < n; i++)
            if (_sampler.Chance(p))
                k++;
        return k;
    }

    private void File(Order order)
    {
        var state = new CaseState();
        _open[order] = state;
        Emit(order, "Filing submitted", order.FiledUtc, order.SalesRep, "SALES_REP");
        if (order.BidStatus == "pending")
        {
            if (_process.Chance(_model.OrderBeforeBidRate))
                state.BidBeforePlacement = false; // recorded as a defect only if the order is in fact placed
            else
            {
                state.BidWonUtc = order.FiledUtc.AddDays(_process.Uniform(0.5, 12));
                At(state.BidWonUtc.Value, () => BidWon(order));
            }
        }
        Arrive(order, Rm, order.FiledUtc);
    }

    private void BidWon(Order order)
    {
        if (!_open.TryGetValue(order, out var state))
            return;
        state.BidWon = true;
        Emit(order, "Bid won", state.BidWonUtc!.Value, "crm", "CRM");
        if (state.WaitingForBid)
            Place(order, state.BidWonUtc.Value);
    }

    private void Arrive(Order order, string role, DateTime now)
    {
        var pool = _pools[PoolKey(role, order)];
        var task = new PoolTask(order, role, now, _seq++);
        if (pool.Free.Count > 0)
            Start(pool, task, now);
        else
            pool.Waiting.Enqueue(task, (_model.KeyDealsFirst && order.Amount > 1_000_000 ? 0 : 1, task.Seq));
    }

    private void Start(Pool pool, PoolTask task, DateTime now)
    {
        // A free slot: approver = slot ÷ multitasking. With k orders open at once, each order's elapsed working
        // time is k times as long on average.
        var slot = pool.Free.Dequeue();
        var approver = slot / pool.Spec.Multitasking;
        var work = _process.LogNormal(pool.Spec.MeanServiceHours * pool.Spec.Multitasking, pool.Spec.ServiceCv) * 3600;
        var done = pool.Clocks[approver].Add(now, work);
        At(done, () => Complete(pool, task, slot, done));
    }

    private void Complete(Pool pool, PoolTask task, int slot, DateTime now)
    {
        pool.Free.Enqueue(slot);
        if (pool.Waiting.TryDequeue(out var next, out _))
            Start(pool, next, now);
        Decide(task.Order, task.Role, pool.Names[slot / pool.Spec.Multitasking], now);
    }

    private string PoolKey(string role, Order order)
    {
        var split = _splitBy.GetValueOrDefault(role);
        return split is null ? role : role + "/" + SegmentOf(order, split);
    }

    private static string SegmentOf(Order order, string attribute) => attribute switch
    {
        "region" => order.Region,
        "product_line" => order.ProductLine,
        _ => throw new InvalidOperationException($"pools cannot be split by '{attribute}'"),
    };

    private void Decide(Order order, string role, string approver, DateTime now)
    {
        var state = _open[order];
        switch (role)
        {
            case Rm:
                if (_process.Chance(_model.RegionalRejectRate))
                    Reject(order, "Regional manager rejected", approver, role, now, Rm);
                else
                {
                    Emit(order, "Regional manager approved", now, approver, role);
                    Arrive(order, Pd, now);
                }
                break;
            case Pd:
                var belowFloor = order.Amount < order.FloorPrice;
                var rejectRate = _model.PriceDeskRejectRate * (belowFloor ? 3 : 1) * (state.Rejections > 0 ? 0.5 : 1);
                if (_process.Chance(rejectRate))
                    Reject(order, "Price desk rejected", approver, role, now, Pd);
                else
                {
                    Emit(order, "Price desk approved", now, approver, role);
                    if (_model.Routing.RoutesToPm(order, _routingSampler))
                    {
                        order.RoutedToPm = true;
                        Arrive(order, Pm, now);
                    }
                    else
                        AfterPm(order, now);
                }
                break;
            case Pm:
                // The PM changes or rejects exactly the orders that need it, the first time they see them.
                if (order.PmReviewNeeded && !state.PmResolved)
                {
                    state.PmResolved = true;
                    if (_process.Chance(0.55))
                    {
                        Emit(order, "PM price changed", now, approver, role);
                        AfterPm(order, now);
                    }
                    else
                        Reject(order, "PM rejected", approver, role, now, Pd);
                }
                else
                {
                    Emit(order, "PM approved", now, approver, role);
                    AfterPm(order, now);
                }
                break;
            case Fin:
                if (_process.Chance(_model.FinanceRejectRate))
                {
                    Emit(order, "Finance rejected", now, approver, role);
                    End(order, "rejected", now);
                }
                else
                {
                    Emit(order, "Finance approved", now, approver, role);
                    Approved(order, now);
                }
                break;
        }
    }

    private void AfterPm(Order order, DateTime now)
    {
        if (order.DiscountPct > _model.FinanceDiscountThreshold || order.Amount > _model.FinanceAmountThreshold)
            Arrive(order, Fin, now);
        else
            Approved(order, now);
    }

    private void Reject(Order order, string activity, string approver, string role, DateTime now, string resubmitTo)
    {
        Emit(order, activity, now, approver, role);
        var state = _open[order];
        state.Rejections++;
        // Rejections during the day are often seen only in the evening and answered the next working day.
        var response = _process.Chance(_model.NextDayResponseShare)
            ? _clock.Add(_clock.NextWorking(NextLocalMorning(now)), _process.Uniform(0, 2) * 3600)
            : _clock.Add(now, _process.Uniform(0.5, 3) * 3600);
        if (state.Rejections >= 3 || _process.Chance(_model.WithdrawAfterRejection))
        {
            At(response, () =>
            {
                Emit(order, "Filing withdrawn", response, order.SalesRep, "SALES_REP");
                End(order, "withdrawn", response);
            });
            return;
        }
        At(response, () =>
        {
            Emit(order, "Filing resubmitted", response, order.SalesRep, "SALES_REP");
            Arrive(order, resubmitTo, response);
        });
    }

    private DateTime NextLocalMorning(DateTime utc)
    {
        var zone = _model.Calendar.TimeZone;
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        return TimeZoneInfo.ConvertTimeToUtc(local.Date.AddDays(1), zone);
    }

    private void Approved(Order order, DateTime now)
    {
        var state = _open[order];
        if (order.BidStatus == "pending" && state.BidBeforePlacement && !state.BidWon)
        {
            state.WaitingForBid = true;
            return;
        }
        Place(order, now);
    }

    private void Place(Order order, DateTime now)
    {
        if (_model.OrderDesk)
        {
            // The order desk's system account books approved orders in hourly batches, on the hour, in office hours.
            var booked = _clock.NextWorking(CeilHour(now.AddMinutes(1)));
            booked = CeilHour(booked);
            At(booked, () =>
            {
                if (!_open.ContainsKey(order))
                    return;
                Emit(order, "Order booked", booked, "order-desk", "ORDER_DESK");
                PlaceAfter(order, booked);
            });
            return;
        }
        PlaceAfter(order, now);
    }

    private static DateTime CeilHour(DateTime utc)
    {
        var hour = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
        return hour == utc ? utc : hour.AddHours(1);
    }

    private void PlaceAfter(Order order, DateTime now)
    {
        var state = _open[order];
        var at = _clock.Add(now, _process.LogNormal(3, 1.0) * 3600);
        At(at, () =>
        {
            var mismatch = _process.Chance(_model.ProductMismatchRate);
            if (mismatch)
                order.Defects.Add("products-not-in-filing");
            Emit(order, "Order placed", at, order.SalesRep, "SALES_REP", mismatch ? "products_match=false" : null);
            if (!state.BidBeforePlacement)
            {
                // The bid is won only after the order was placed: the compliance defect.
                order.Defects.Add("order-before-bid-won");
                var won = at.AddDays(_process.Uniform(2, 10));
                Emit(order, "Bid won", won, "crm", "CRM", deferred: true);
            }
            End(order, "placed", at);
        });
    }

    private void End(Order order, string outcome, DateTime now)
    {
        order.Outcome = outcome;
        order.EndedUtc = now;
        _open.Remove(order);
        Flush();
        _sink.CaseCompleted(order);
    }

    private void Emit(Order order, string activity, DateTime utc, string? resource, string role, string? note = null, bool deferred = false)
    {
        if (role is not ("SALES_REP" or "CRM") && _process.Chance(_model.MissingApproverRate))
        {
            resource = null;
            order.Defects.Add("missing-approver");
        }
        if (role == Fin && _process.Chance(_model.ClockSkewRate))
        {
            utc = utc.AddMinutes(_process.Uniform(5, 15));
            order.Defects.Add("finance-clock-skew");
        }
        var e = new SimulatedEvent(order, activity, utc, resource, role, note);
        if (deferred)
        {
            // Written with the case's other events (it lies in the future of the simulation clock).
            Deliver(e);
            return;
        }
        if (_held is not null)
        {
            Deliver(e);
            Deliver(_held);
            _held = null;
            return;
        }
        if (_process.Chance(_model.OutOfOrderRate))
        {
            _held = e;
            order.Defects.Add("delivered-out-of-order");
            return;
        }
        Deliver(e);
    }

    private void Deliver(SimulatedEvent e)
    {
        _sink.Record(e);
        _events++;
        if (_process.Chance(_model.DuplicateEventRate))
        {
            e.Order.Defects.Add("duplicate-event");
            _sink.Record(e);
            _events++;
        }
    }

    private void Flush()
    {
        if (_held is null)
            return;
        var e = _held;
        _held = null;
        Deliver(e);
    }

    private void At(DateTime utc, Action action) => _agenda.At(utc, action);

    private void SizePools()
    {
        // Demand per working day for each pool under the as-is rule: all orders pass RM and price desk (plus rework),
        // the controlled share passes PMs, and deep discounts or large amounts pass finance.
        var workingDays = Enumerable.Range(0, _model.Days).Count(d => _model.Calendar.PeriodsOn(_model.Start.AddDays(d)).Count > 0);
        var perDay = (double)_model.Orders / Math.Max(1, workingDays);
        var hoursPerDay = _model.Calendar.PeriodsOn(NextWorkingDay()).Sum(p => (p.End - p.Start).TotalHours);
        var share = new Dictionary<string, double>(StringComparer.Ordinal) { [Rm] = 1.05, [Pd] = 1.1, [Pm] = _model.ControlledShare, [Fin] = 0.3 };
        var hours = ApproverCalendars();
        foreach (var spec in _model.Pools)
        {
            if (spec.Multitasking < 1)
                throw new ArgumentException($"pool {spec.Role}: multitasking must be at least 1 (it is {spec.Multitasking})");
            if (spec.SplitBy is not null)
                _splitBy[spec.Role] = spec.SplitBy;
            foreach (var (segment, weight) in Segments(spec))
            {
                var size = spec.Size > 0
                    ? spec.Size
                    : Math.Max(1, (int)Math.Ceiling(perDay * share.GetValueOrDefault(spec.Role, 1) * weight * spec.MeanServiceHours / (hoursPerDay * spec.TargetUtilisation)));
                var slug = segment is null ? "" : "-" + segment.ToLowerInvariant().Replace(' ', '-');
                var names = Enumerable.Range(1, size).Select(i => string.Create(CultureInfo.InvariantCulture, $"{spec.Prefix}{slug}-{i:00}")).ToArray();
                var clocks = Enumerable.Range(0, size).Select(i => hours[_model.ApproverHours == ApproverHours.Varied ? i % hours.Length : 0]).ToArray();
                _pools[segment is null ? spec.Role : spec.Role + "/" + segment] = new Pool(spec, names, clocks);
            }
        }
    }

    /// <summary>The values a pool is split into, each with its share of the role's demand.</summary>
    private IEnumerable<(string? Segment, double Weight)> Segments(ApproverPool spec)
    {
        switch (spec.SplitBy)
        {
            case null:
                return [(null, 1.0)];
            case "region":
                var total = OrderFactory.RegionWeights.Sum();
                return OrderFactory.Regions.Select((r, i) => ((string?)r, OrderFactory.RegionWeights[i] / total));
            case "product_line":
                if (spec.Role == Pm)
                    return OrderFactory.ControlledLines.Select(l => ((string?)l, 1.0 / OrderFactory.ControlledLines.Length));
                var controlled = OrderFactory.ControlledLines.Select(l => ((string?)l, _model.ControlledShare / OrderFactory.ControlledLines.Length));
                var open = OrderFactory.OpenLines.Select(l => ((string?)l, (1 - _model.ControlledShare) / OrderFactory.OpenLines.Length));
                return controlled.Concat(open);
            default:
                throw new ArgumentException($"pool {spec.Role}: cannot split by '{spec.SplitBy}' (region or product_line)");
        }
    }

    /// <summary>Clocks of the approvers' hours: the calendar's, then (varied) an hour early, an hour late, Monday to Thursday.</summary>
    private BusinessClock[] ApproverCalendars()
    {
        if (_model.ApproverHours == ApproverHours.Calendar)
            return [_clock];
        var calendar = _model.Calendar;
        BusinessCalendar Shifted(int hours) => calendar with
        {
            Name = calendar.Name + (hours < 0 ? " (an hour early)" : " (an hour late)"),
            Week = calendar.Week.ToDictionary(d => d.Key, d => (IReadOnlyList<WorkingPeriod>)[.. d.Value.Select(p => new WorkingPeriod(p.Start.AddHours(hours), p.End.AddHours(hours)))]),
            MakeUpDayPeriods = calendar.MakeUpDayPeriods?.Select(p => new WorkingPeriod(p.Start.AddHours(hours), p.End.AddHours(hours))).ToList(),
        };
        var fourDays = calendar with
        {
            Name = calendar.Name + " (Monday to Thursday)",
            Week = calendar.Week.Where(d => d.Key != DayOfWeek.Friday).ToDictionary(d => d.Key, d => d.Value),
        };
        BusinessClock Clock(BusinessCalendar c) => BusinessClock.Build(c, _startUtc.AddDays(-2), _startUtc.AddDays(_model.Days + 400));
        return [Clock(Shifted(-1)), Clock(Shifted(1)), _clock, Clock(fourDays)];
    }

    private DateOnly NextWorkingDay()
    {
        for (var d = _model.Start; ; d = d.AddDays(1))
            if (_model.Calendar.PeriodsOn(d).Count > 0)
                return d;
    }

    private sealed class Pool
    {
        public Pool(ApproverPool spec, string[] names, BusinessClock[] clocks)
        {
            Spec = spec;
            Names = names;
            Clocks = clocks;
            // Slot s belongs to approver s ÷ k; the first slot of every approver is free first.
            for (var j = 0; j < spec.Multitasking; j++)
                for (var i = 0; i < names.Length; i++)
                    Free.Enqueue(i * spec.Multitasking + j);
        }

        public ApproverPool Spec { get; }
        public string[] Names { get; }
        public BusinessClock[] Clocks { get; }
        public Queue<int> Free { get; } = new();
        public PriorityQueue<PoolTask, (int, long)> Waiting { get; } = new();
    }

    private sealed record PoolTask(Order Order, string Role, DateTime Arrived, long Seq);

    private sealed class CaseState
    {
        public int Rejections;
        public bool PmResolved;
        public bool BidBeforePlacement = true;
        public bool BidWon;
        public bool WaitingForBid;
        public DateTime? BidWonUtc;
    }
}

/// <summary>What a simulation run produced.</summary>
public sealed class SimulationSummary
{
    /// <summary>Orders filed.</summary>
    public long Orders { get; set; }
    /// <summary>Orders with a controlled product.</summary>
    public long Controlled { get; set; }
    /// <summary>Orders that truly needed PM review.</summary>
    public long ReviewNeeded { get; set; }
    /// <summary>Events written (duplicates included).</summary>
    public long Events { get; set; }
}
