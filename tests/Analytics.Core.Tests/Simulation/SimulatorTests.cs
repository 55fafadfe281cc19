using Analytics.Core.Calendars;
using Analytics.Core.Simulation;

namespace Analytics.Core.Tests.Simulation;

/// <summary>The simulator's documented behaviour, on 20,000 orders over the default two years (tolerances stated per test).</summary>
public sealed class SimulatorTests
{
    private sealed class Collect : ISimulationSink
    {
        public List<SimulatedEvent> Events { get; } = [];
        public List<Order> Orders { get; } = [];
        public void Record(SimulatedEvent e) => Events.Add(e);
        public void CaseCompleted(Order order) => Orders.Add(order);
    }

    private static Collect Run(ApprovalProcessModel model)
    {
        var sink = new Collect();
        new ApprovalSimulator(model).Run(sink, CancellationToken.None);
        return sink;
    }

    private static readonly Lazy<Collect> AsIs = new(() => Run(new ApprovalProcessModel { Orders = 20_000, Seed = 11 }));

    [Fact]
    public void SameSeedGivesTheSameLog()
    {
        var a = Run(new ApprovalProcessModel { Orders = 500, Seed = 5 });
        var b = Run(new ApprovalProcessModel { Orders = 500, Seed = 5 });
        var c = Run(new ApprovalProcessModel { Orders = 500, Seed = 6 });

        static string Text(Collect x) => string.Join('\n', x.Events.Select(e => $"{e.Order.CaseId}|{e.Activity}|{e.Utc.Ticks}|{e.Resource}"));
        Assert.Equal(Text(a), Text(b));
        Assert.NotEqual(Text(a), Text(c));
    }

    [Fact]
    public void ShareOfOrdersGoingToPmsIsTheControlledShareUnderTheAsIsRule()
    {
        var orders = AsIs.Value.Orders;
        Assert.Equal(20_000, orders.Count);
        Assert.InRange(orders.Count(o => o.Controlled) / 20_000.0, 0.41, 0.45);
        // Every controlled order that got past the price desk reached a PM; no other order did.
        Assert.DoesNotContain(orders, o => o.RoutedToPm && !o.Controlled);
        var pastPriceDesk = AsIs.Value.Events.Where(e => e.Activity == "Price desk approved").Select(e => e.Order).Distinct().ToList();
        Assert.All(pastPriceDesk.Where(o => o.Controlled), o => Assert.True(o.RoutedToPm));
    }

    [Fact]
    public void AboutOneInFiveControlledOrdersNeedsReview()
    {
        var controlled = AsIs.Value.Orders.Where(o => o.Controlled).ToList();
        Assert.InRange(controlled.Count(o => o.PmReviewNeeded) / (double)controlled.Count, 0.15, 0.27);
        Assert.DoesNotContain(AsIs.Value.Orders, o => o.PmReviewNeeded && !o.Controlled);
    }

    [Fact]
    public void AGoodPolicyCanReviewFifteenPercentAndCatchNearlyAllThatNeedIt()
    {
        // Ranking by the true probability (the best any model can learn): send the top 15% of all orders to PMs.
        var orders = AsIs.Value.Orders;
        var reviewed = orders.OrderByDescending(o => o.PmReviewProbability).Take((int)(0.15 * orders.Count)).ToHashSet();
        var needed = orders.Where(o => o.PmReviewNeeded).ToList();
        Assert.True(needed.Count(reviewed.Contains) / (double)needed.Count >= 0.9,
            $"recall at 15%: {needed.Count(reviewed.Contains) / (double)needed.Count:P1}");
    }

    [Fact]
    public void TheNeedIsNotARuleOnOneAttribute()
    {
        // Learnable but not trivial: no single attribute value separates the orders that need review.
        var controlled = AsIs.Value.Orders.Where(o => o.Controlled).ToList();
        double Rate(Func<Order, bool> f) => controlled.Where(f).Count(o => o.PmReviewNeeded) / (double)Math.Max(1, controlled.Count(f));
        Assert.True(Rate(o => o.Amount < o.FloorPrice) > Rate(o => o.Amount >= o.FloorPrice) * 1.5);
        Assert.InRange(Rate(o => o.Amount < o.FloorPrice), 0.2, 0.9);
    }

    [Fact]
    public void HalvingTheLoadOnPmsLowersPmWaiting()
    {
        var half = Run(new ApprovalProcessModel { Orders = 20_000, Seed = 11, Routing = new FixedSharePolicy(0.215) });

        var asIs = MeanPmWaitHours(AsIs.Value);
        var lighter = MeanPmWaitHours(half);

        // Pools have the same size in both runs: the difference comes from the queues alone.
        Assert.True(lighter < 0.8 * asIs, $"PM waiting {asIs:F1} h as-is vs {lighter:F1} h with half the load");
    }

    [Fact]
    public void EventsFollowOfficeHoursExceptFilingsAndSystems()
    {
        var calendar = BuiltInCalendars.CnShanghai;
        var approvals = AsIs.Value.Events.Where(e => e.Role is "REGIONAL_MANAGER" or "PRICE_DESK" or "PRODUCT_MANAGER").ToList();
        bool InOffice(DateTime utc)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(utc, calendar.TimeZone);
            return calendar.PeriodsOn(DateOnly.FromDateTime(local)).Any(p => TimeOnly.FromDateTime(local) >= p.Start && TimeOnly.FromDateTime(local) <= p.End);
        }
        Assert.True(approvals.Count(e => InOffice(e.Utc)) / (double)approvals.Count > 0.995);
    }

    [Fact]
    public void InjectedDefectsAppearAtRoughlyTheirRates()
    {
        var orders = AsIs.Value.Orders;
        double Share(string defect) => orders.Count(o => o.Defects.Contains(defect)) / (double)orders.Count;
        Assert.InRange(Share("filing-after-contract"), 0.01, 0.03);
        Assert.InRange(Share("products-not-in-filing"), 0.004, 0.016);
        var duplicates = AsIs.Value.Events.GroupBy(e => e).Count(g => g.Count() > 1);
        Assert.InRange(duplicates / (double)AsIs.Value.Events.Count, 0.001, 0.006);
    }

    private static double MeanPmWaitHours(Collect run)
    {
        // From the price desk's approval to the PM's decision, per visit to the PM node.
        var waits = new List<double>();
        foreach (var order in run.Events.GroupBy(e => e.Order))
        {
            DateTime? since = null;
            foreach (var e in order.OrderBy(e => e.Utc))
            {
                if (e.Activity == "Price desk approved")
                    since = e.Utc;
                else if (e.Role == "PRODUCT_MANAGER" && since is { } s)
                {
                    waits.Add((e.Utc - s).TotalHours);
                    since = null;
                }
            }
        }
        return waits.Average();
    }
}
