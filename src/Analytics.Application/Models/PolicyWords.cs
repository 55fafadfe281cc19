using System.Globalization;
using Analytics.Core.Routing;
using Analytics.Ml;

namespace Analytics.Application.Models;

/// <summary>
/// A trained policy in words a process owner reads: the as-is review ratio, the policy's ratio, what is certified and
/// on how many orders, what the test months showed, and — when nothing can be certified — why, the smallest miss
/// rate that could be, and roughly how many labelled orders would certify the one asked for. Shared by
/// <c>analytics train</c>, the demo and <c>analytics models</c>.
/// </summary>
public static class PolicyWords
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The lines.</summary>
    public static IReadOnlyList<string> Lines(TrainingReport r, string reviewer = "a PM")
    {
        ArgumentNullException.ThrowIfNull(r);
        var confidence = P0(1 - r.Delta);
        var lines = new List<string>
        {
            string.Create(C, $"As is: {P1(r.PopulationShare)} of orders go to {reviewer} (every order in the population); {P1(r.TestReviewNeededShare)} of orders needed the review."),
        };
        var test = string.Create(C, $"on the test months: {P1(r.ReviewRatio)} of orders reviewed, {P1(r.TestRecall)} of the needed reviews caught, miss rate {P2(r.ObservedTestMissRate)} among the orders routed past");
        if (r.Mode == RoutingMode.Capacity && r.BoundOrders == 0)
            lines.Add(string.Create(C, $"Policy (capacity {P0(r.TargetReviewRatio)} of orders): the target is at or above the as-is share, so every order in the population still goes to {reviewer}; nothing to certify."));
        else if (r.Mode == RoutingMode.Capacity)
            lines.Add(string.Create(C, $"Policy (capacity {P0(r.TargetReviewRatio)} of orders): miss rate among the orders routed past at most {P2(r.MissRateUpperBound)}, certified with {confidence} confidence on {r.BoundOrders:N0} orders routed past out of fold ({r.BoundMisses:N0} needed review); {test}."));
        else if (r.Certified)
            lines.Add(string.Create(C, $"Policy (miss rate ≤ {P1(r.Alpha)} with {confidence} confidence): certified at ≤ {P2(r.MissRateUpperBound)} on {r.BoundOrders:N0} orders routed past out of fold ({r.BoundMisses:N0} needed review); {test}."));
        else
        {
            lines.Add(string.Create(C, $"Policy (miss rate ≤ {P1(r.Alpha)} with {confidence} confidence): not certifiable on these {r.TrainCases:N0} labelled orders, so every order in the population still goes to {reviewer} (as is)."));
            lines.Add(r.SmallestCertifiableAlpha is { } smallest
                ? string.Create(C, $"  For reference, the smallest miss rate these orders certify is {P1(smallest)} (choosing alpha from this figure would void the guarantee: choose it from what a missed review costs, or use the capacity mode).")
                : "  No miss rate up to 50% can be certified on these orders.");
            if (r.OrdersNeededForAlpha is { } needed)
                lines.Add(string.Create(C, $"  About {Round(needed):N0} labelled orders in all ({Round(Math.Max(1, needed - r.TrainCases)):N0} more) would certify {P1(r.Alpha)}, if the miss rates seen hold."));
            else
                lines.Add(string.Create(C, $"  Not even 1,000 times these orders would certify {P1(r.Alpha)}: among the orders the model is surest of, {P1(r.Alpha)} or more needed review (a better model, or features that know more at the decision, would)."));
        }
        if (r.Mode != RoutingMode.Capacity)
            lines.Add(string.Create(C, $"At the target of {P0(r.TargetReviewRatio)} of orders to {reviewer}: {P1(r.CapacityReviewRatio)} reviewed on the test months, recall {P1(r.CapacityTestRecall)}, miss rate ≤ {P2(r.CapacityMissRateUpperBound)} certified (test {P2(r.CapacityTestMissRate)})."));
        return lines;
    }

    /// <summary>The operating curve as a text table: by review ratio, then by α.</summary>
    public static IReadOnlyList<string> Curve(TrainingReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var lines = new List<string> { "review ratio   certified miss rate ≤   on orders   test: reviewed   recall   miss rate" };
        foreach (var p in r.Curve)
            lines.Add(p.BoundOrders == 0
                ? string.Create(C, $"  {P0(p.ReviewRatio),-12} none routed past: {P0(p.ReviewRatio)} is at or above the as-is share, every population order reviewed")
                : string.Create(C, $"  {P0(p.ReviewRatio),-12} {P2(p.MissRateUpperBound),-22} {p.BoundOrders,9:N0}   {P1(p.Test.ReviewRatio),-14} {P1(p.Test.Recall),-8} {P2(p.Test.MissRate)}"));
        lines.Add("alpha    certified   review ratio   test: reviewed   recall   miss rate");
        foreach (var a in r.AlphaCurve)
            lines.Add(a.Certified && a.Test is { } t
                ? string.Create(C, $"  {P1(a.Alpha),-7} yes         {P1(a.ReviewRatio),-14} {P1(t.ReviewRatio),-16} {P1(t.Recall),-8} {P2(t.MissRate)}")
                : string.Create(C, $"  {P1(a.Alpha),-7} no          review all"));
        return lines;
    }

    private static long Round(long n) => n < 1000 ? n : n < 10_000 ? (long)Math.Round(n / 100.0) * 100 : (long)Math.Round(n / 1000.0) * 1000;

    private static string P0(double x) => (x * 100).ToString("0", C) + "%";

    private static string P1(double x) => (x * 100).ToString("0.0", C) + "%";

    private static string P2(double x) => (x * 100).ToString("0.00", C) + "%";
}
