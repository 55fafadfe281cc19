using MathNet.Numerics.Distributions;

namespace Analytics.Core.Routing;

/// <summary>
/// Chooses the routing threshold with a statistical guarantee on the miss rate: among the orders routed past the PM,
/// the share that needed review is at most α with confidence 1 − δ.
/// </summary>
/// <remarks>
/// Learn then Test (Angelopoulos et al. 2021) with fixed-sequence testing over a grid of probability thresholds fixed
/// in advance (<see cref="Grid"/>, geometric from 0.0005 to 0.9): each threshold λ routes past the orders scoring below
/// it, and is accepted when the one-sided Clopper–Pearson upper bound of its miss rate is at most α; the thresholds are
/// tested from the safest (smallest) up, and testing stops at the first one not accepted. A threshold that routes past
/// fewer orders than any bound at α could certify (1 − δ^(1/n) &gt; α) is passed over rather than tested: the rule looks
/// at the counts only, so the guarantee holds conditionally on them. The scores must not come from a model trained on
/// the same orders: the trainer gives out-of-fold scores (cross-fitting).
/// </remarks>
public static class MissRateGuarantee
{
    /// <summary>The thresholds tested, safest first: 160 points geometric from 0.0005 to 0.9.</summary>
    public static IReadOnlyList<double> Grid { get; } = Enumerable.Range(0, 160).Select(i => 0.0005 * Math.Pow(0.9 / 0.0005, i / 159.0)).ToArray();

    /// <summary>The Clopper–Pearson one-sided upper confidence bound of a binomial proportion.</summary>
    /// <param name="misses">Needed reviews among the orders routed past.</param>
    /// <param name="routedPast">Orders routed past the PM.</param>
    /// <param name="delta">1 − confidence.</param>
    public static double UpperBound(int misses, int routedPast, double delta)
    {
        if (routedPast == 0)
            return 1;
        if (misses >= routedPast)
            return 1;
        return Beta.InvCDF(misses + 1, routedPast - misses, 1 - delta);
    }

    /// <summary>The fewest orders routed past with no miss at all that could certify α at 1 − δ.</summary>
    public static int MinimumRoutedPast(double alpha, double delta) => (int)Math.Ceiling(Math.Log(delta) / Math.Log(1 - alpha));

    /// <summary>
    /// The fewest orders routed past at which a threshold is tested: at least 200, and enough that two misses among
    /// them could still be certified at α. A smaller set would be refused by a single unlucky miss (or, at a large α,
    /// by the noise of a few orders) and end the fixed sequence before the thresholds with enough orders are reached;
    /// the rule looks at counts only, so the guarantee is kept.
    /// </summary>
    public static int TestedFrom(double alpha, double delta)
    {
        var n = Math.Max(200, MinimumRoutedPast(alpha, delta));
        while (UpperBound(2, n, delta) > alpha)
            n = n < 1_000_000 ? n + Math.Max(1, n / 50) : throw new ArgumentOutOfRangeException(nameof(alpha), "α too small to test");
        return n;
    }

    /// <summary>The boldest threshold of the grid whose miss rate is certified at most α.</summary>
    /// <param name="scores">Calibrated probabilities of needing review (out of fold).</param>
    /// <param name="labels">Whether each needed review.</param>
    /// <param name="alpha">Largest acceptable miss rate.</param>
    /// <param name="delta">1 − confidence.</param>
    /// <returns>The certified policy; when nothing can be certified, <see cref="Certification.Certified"/> is false and the threshold 0 (review everything).</returns>
    public static Certification Choose(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double alpha, double delta)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var (counts, n) = GridCounts(scores, labels);
        return Choose(counts, n, alpha, delta);
    }

    private static Certification Choose((int Past, int Misses)[] counts, int n, double alpha, double delta)
    {
        var kMin = TestedFrom(alpha, delta);
        Certification? best = null;
        for (var j = 0; j < Grid.Count; j++)
        {
            var (past, misses) = counts[j];
            if (past < kMin)
                continue;
            var ub = UpperBound(misses, past, delta);
            if (ub > alpha)
                break;
            best = new Certification(true, Grid[j], (double)(n - past) / n, ub, past, misses, n, alpha, delta);
        }
        return best ?? new Certification(false, 0, 1, 1, 0, 0, n, alpha, delta);
    }

    /// <summary>The smallest α of a fine grid (0.1% to 50%) that some threshold certifies, or null when none does.</summary>
    public static double? SmallestCertifiableAlpha(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double delta)
    {
        var (counts, n) = GridCounts(scores, labels);
        for (var a = 0.001; a <= 0.5 + 1e-12; a += a < 0.05 ? 0.001 : 0.005)
            if (Choose(counts, n, a, delta).Certified)
                return Math.Round(a, 3);
        return null;
    }

    /// <summary>
    /// Roughly how many labelled orders in all would let α be certified if the miss rates seen held: the smallest
    /// multiple of the orders at hand (up to 1,000-fold) at which the same fixed-sequence test, run on every
    /// threshold's counts scaled by it, accepts a threshold. Null when no multiple does: the miss rate at the first
    /// thresholds tested is α or more, so not even 1,000 times the orders at hand would certify α with this model.
    /// Thresholds routing past fewer than 30 orders at hand are left out of the estimate (their rates are noise).
    /// </summary>
    public static long? OrdersNeeded(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double alpha, double delta)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var (counts, n) = GridCounts(scores, labels);
        if (n == 0)
            return null;
        var kMin = TestedFrom(alpha, delta);
        bool Certifies(double f)
        {
            var accepted = false;
            foreach (var (p, m) in counts)
            {
                // Cells of a few orders say nothing about their rate: scaled up, one miss among five would read as 20%.
                if (p < 30)
                    continue;
                var scaledPast = (int)Math.Min(int.MaxValue, Math.Round(p * f));
                if (scaledPast < kMin)
                    continue;
                if (UpperBound((int)Math.Round(m * f), scaledPast, delta) > alpha)
                    break;
                accepted = true;
            }
            return accepted;
        }
        for (var f = 1.0; f <= 1000; f *= 1.05)
            if (Certifies(f))
                return (long)Math.Ceiling(n * f);
        return null;
    }

    /// <summary>For a fixed review share (PM capacity): the threshold that routes that share of orders to a PM, and the miss-rate bound it buys.</summary>
    public static Certification AtReviewShare(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double reviewShare, double delta)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var sorted = Sorted(scores, labels);
        var n = sorted.Length;
        var past = (int)Math.Round(Math.Clamp(1 - reviewShare, 0, 1) * n);
        // Ties: the threshold falls between distinct scores, so fewer may be routed past.
        while (past > 0 && past < n && sorted[past].Score == sorted[past - 1].Score)
            past--;
        var misses = 0;
        for (var i = 0; i < past; i++)
            if (sorted[i].Label)
                misses++;
        var threshold = past == 0 ? 0 : past < n ? sorted[past].Score : double.PositiveInfinity;
        var ub = UpperBound(misses, past, delta);
        return new Certification(past > 0, threshold, n == 0 ? 1 : (double)(n - past) / n, ub, past, misses, n, ub, delta);
    }

    /// <summary>For each grid threshold, the orders scoring below it and how many of them needed review.</summary>
    private static ((int Past, int Misses)[] Counts, int Orders) GridCounts(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var sorted = Sorted(scores, labels);
        var counts = new (int, int)[Grid.Count];
        int past = 0, misses = 0;
        for (var j = 0; j < Grid.Count; j++)
        {
            while (past < sorted.Length && sorted[past].Score < Grid[j])
            {
                if (sorted[past].Label)
                    misses++;
                past++;
            }
            counts[j] = (past, misses);
        }
        return (counts, sorted.Length);
    }

    private static (double Score, bool Label)[] Sorted(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        if (scores.Count != labels.Count)
            throw new ArgumentException("scores and labels differ in length");
        var sorted = new (double Score, bool Label)[scores.Count];
        for (var i = 0; i < sorted.Length; i++)
            sorted[i] = (scores[i], labels[i]);
        Array.Sort(sorted, (a, b) => a.Score.CompareTo(b.Score));
        return sorted;
    }
}

/// <summary>A routing threshold and what certifies it.</summary>
/// <param name="Certified">Whether the bound reaches α (false: review everything).</param>
/// <param name="Threshold">Population orders scoring at or above it go to a PM.</param>
/// <param name="ReviewShare">The share of the scored orders it sends to a PM.</param>
/// <param name="MissRateUpperBound">The certified bound of the miss rate among orders routed past (1 when none are).</param>
/// <param name="RoutedPast">Orders routed past: what the bound rests on.</param>
/// <param name="Misses">Of those, the ones that needed review.</param>
/// <param name="Orders">Orders scored.</param>
/// <param name="Alpha">The α asked for (at a fixed review share: the bound itself).</param>
/// <param name="Delta">1 − confidence.</param>
public sealed record Certification(bool Certified, double Threshold, double ReviewShare, double MissRateUpperBound, int RoutedPast, int Misses, int Orders,
    double Alpha, double Delta);
