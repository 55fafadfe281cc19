using Analytics.Core.Calendars;

namespace Analytics.Core.Simulation;

/// <summary>
/// The special-price approval process as a simulation model: demand, attributes and truth, approver pools, decision
/// probabilities, rework, routing to product managers, and injected data-quality and compliance defects.
/// The demo generator runs it as given; the what-if analysis runs a copy calibrated from a log.
/// </summary>
public sealed record ApprovalProcessModel
{
    /// <summary>Number of orders to file.</summary>
    public int Orders { get; init; } = 2000;

    /// <summary>The first filing day (local date in the calendar's zone).</summary>
    public DateOnly Start { get; init; } = new(2024, 1, 2);

    /// <summary>Filing days: orders are spread over this many calendar days from <see cref="Start"/> (two years by default).</summary>
    public int Days { get; init; } = 730;

    /// <summary>Case ids are this prefix and a 7-digit number (so logs generated separately do not collide).</summary>
    public string CaseIdPrefix { get; init; } = "SP-";

    /// <summary>Seed of every random draw (of the orders only, when <see cref="ProcessSeed"/> is set).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Seed of the approvals' own draws (working times, decisions, responses, data defects). Unset, they share the
    /// stream of <see cref="Seed"/>, so orders filed later depend on what happened before. Set, the orders depend on
    /// <see cref="Seed"/> alone: runs that differ only in this seed, or in the routing, see exactly the same orders.
    /// </summary>
    public int? ProcessSeed { get; init; }

    /// <summary>Office hours of all approvers (Asia/Shanghai with Chinese holidays and make-up days by default).</summary>
    public BusinessCalendar Calendar { get; init; } = BuiltInCalendars.CnShanghai;

    /// <summary>Share of orders that hold a controlled product (0.43).</summary>
    public double ControlledShare { get; init; } = 0.43;

    /// <summary>Shift of the log-odds of needing PM review, tuning its base rate (about 22% of controlled orders).</summary>
    public double ReviewNeedIntercept { get; init; } = -6.3;

    /// <summary>Who goes to a PM: the as-is rule, a fixed share, or a score threshold.</summary>
    public RoutingPolicy Routing { get; init; } = RoutingPolicy.AsIs;

    /// <summary>Approver pools by role. Sizes are derived from demand when <see cref="ApproverPool.Size"/> is 0.</summary>
    public IReadOnlyList<ApproverPool> Pools { get; init; } =
    [
        new("REGIONAL_MANAGER", "rm", MeanServiceHours: 0.6, ServiceCv: 0.9, TargetUtilisation: 0.55),
        new("PRICE_DESK", "pd", MeanServiceHours: 1.0, ServiceCv: 0.8, TargetUtilisation: 0.65),
        new("PRODUCT_MANAGER", "pm", MeanServiceHours: 2.5, ServiceCv: 0.9, TargetUtilisation: 0.85),
        new("FINANCE", "fin", MeanServiceHours: 1.2, ServiceCv: 0.7, TargetUtilisation: 0.5),
    ];

    /// <summary>Whether approvers take orders above 1 M CNY before the others waiting (true); otherwise first come, first served.</summary>
    public bool KeyDealsFirst { get; init; } = true;

    /// <summary>Probability that the regional manager rejects a filing (0.04).</summary>
    public double RegionalRejectRate { get; init; } = 0.04;

    /// <summary>Probability that the price desk rejects a filing at the floor price, rising for deeper discounts.</summary>
    public double PriceDeskRejectRate { get; init; } = 0.06;

    /// <summary>Probability that finance rejects (0.03).</summary>
    public double FinanceRejectRate { get; init; } = 0.03;

    /// <summary>Discount (percent) above which finance must approve too (25).</summary>
    public double FinanceDiscountThreshold { get; init; } = 25;

    /// <summary>Amount (CNY) above which finance must approve too (1,000,000).</summary>
    public double FinanceAmountThreshold { get; init; } = 1_000_000;

    /// <summary>After a rejection, the share of reps who withdraw instead of revising (0.3).</summary>
    public double WithdrawAfterRejection { get; init; } = 0.3;

    /// <summary>Share of rejections seen only in the evening and answered the next working day (0.65).</summary>
    public double NextDayResponseShare { get; init; } = 0.65;

    /// <summary>Rate of exact duplicate events (a system sends the event twice).</summary>
    public double DuplicateEventRate { get; init; } = 0.003;

    /// <summary>Rate of finance events stamped by a system clock that runs 5–15 minutes ahead.</summary>
    public double ClockSkewRate { get; init; } = 0.02;

    /// <summary>Rate of approval events without the approver.</summary>
    public double MissingApproverRate { get; init; } = 0.005;

    /// <summary>Rate of events delivered later than the next one (out of order in the file).</summary>
    public double OutOfOrderRate { get; init; } = 0.01;

    /// <summary>Rate of orders placed before the bid is won.</summary>
    public double OrderBeforeBidRate { get; init; } = 0.015;

    /// <summary>Rate of filings made after the contract was signed.</summary>
    public double FilingAfterContractRate { get; init; } = 0.02;

    /// <summary>Rate of orders holding products that were not in the filing.</summary>
    public double ProductMismatchRate { get; init; } = 0.01;

    /// <summary>
    /// Whether an order desk books every approved order before it is placed ("Order booked", by the system account
    /// <c>order-desk</c>, in hourly batches on the hour during office hours). Off by default.
    /// </summary>
    public bool OrderDesk { get; init; }

    /// <summary>
    /// Approvers' own hours: <see cref="ApproverHours.Calendar"/> (everyone works the calendar, the default) or
    /// <see cref="ApproverHours.Varied"/> (a quarter start an hour early, a quarter an hour late, a quarter work
    /// Monday to Thursday only).
    /// </summary>
    public ApproverHours ApproverHours { get; init; } = ApproverHours.Calendar;
}

/// <summary>Whose hours approvers work.</summary>
public enum ApproverHours
{
    /// <summary>Everyone works the model's calendar.</summary>
    Calendar,

    /// <summary>Approver i works: i mod 4 = 0 an hour early, 1 an hour late, 2 the calendar, 3 the calendar without Fridays.</summary>
    Varied,
}

/// <summary>
/// A pool of interchangeable approvers of one role, served first-come first-served (key deals first); with
/// <paramref name="SplitBy"/>, one such pool per value of an order attribute (a regional manager pool per region).
/// </summary>
/// <param name="Role">The role.</param>
/// <param name="Prefix">Approver names are prefix-01, prefix-02, ….</param>
/// <param name="MeanServiceHours">Mean working time an approver spends on one order, in business hours.</param>
/// <param name="ServiceCv">Coefficient of variation of that time (log-normal).</param>
/// <param name="TargetUtilisation">When <see cref="Size"/> is 0: the pool is sized so that, under the as-is routing, its approvers are this busy.</param>
/// <param name="Size">Number of approvers (of each sub-pool when split); 0 derives it from demand.</param>
/// <param name="SplitBy">An order attribute (<c>region</c> or <c>product_line</c>): each of its values has a pool of its own, whose approvers serve only orders of that value. Null for one pool.</param>
/// <param name="Multitasking">Orders an approver keeps open at once (1). With k, an order's elapsed working time has mean <paramref name="MeanServiceHours"/> × k (the approver's attention is shared), so a pool's capacity in orders per hour is unchanged.</param>
public sealed record ApproverPool(string Role, string Prefix, double MeanServiceHours, double ServiceCv, double TargetUtilisation, int Size = 0,
    string? SplitBy = null, int Multitasking = 1);
