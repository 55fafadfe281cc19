using MathNet.Numerics.Distributions;

namespace Analytics.Core.Routing;

/// <summary>
/// Chooses the routing threshold with a statistical guarantee on the miss rate: among the orders routed past the PM,
/// the share that needed review is at most α with confidence 1 − δ.
/// </summary>
/// <remarks>
/// Learn then Test (Angelopoulos et al. 2021) with fixed-sequence testing: candidate thresholds are tested from the
/// safest (few orders skip the PM) to the boldest; each is accepted when the one-sided Clopper–Pearson upper bound of
/// its miss rate on the calibration set is at most α, and testing stops at the first rejection. Testing in a fixed
/// order at level δ each controls the chance of accepting any bad threshold at δ. Calibration cases must not have been
/// used to train the model.
/// </remarks>
public static class MissRateGuarantee
{
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

    /// <summary>The boldest threshold whose miss rate is certified at most α.</summary>
    /// <param name="scores">Calibrated probabilities of needing review, calibration set.</param>
    /// <param name="labels">Whether each needed review.</param>
    /// <param name="alpha">Largest acceptable miss rate.</param>
    /// <param name="delta">1 − confidence.</param>
    /// <returns>Threshold (orders scoring at or above it go to a PM), the share of calibration orders routed to a PM, and the certified bound; threshold 0 (review all) when nothing can be certified.</returns>
    public static (double Threshold, double ReviewShare, double MissRateUpperBound) Choose(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double alpha, double delta)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var n = order.Length;
        // Routing past the k lowest-scored orders, k upwards (safest first). Below k_min not even a perfect record
        // could certify α (the bound with no miss is 1 − δ^(1/k)); those candidates are left out of the sequence,
        // which depends on α and δ only, so the fixed-sequence guarantee is kept.
        var kMin = (int)Math.Ceiling(Math.Log(delta) / Math.Log(1 - alpha));
        double threshold = 0, bound = 0;
        var accepted = 0;
        var misses = 0;
        for (var k = 1; k <= n; k++)
        {
            if (labels[order[k - 1]])
                misses++;
            // Ties: a threshold can only fall between distinct scores.
            if (k < kMin || (k < n && scores[order[k]] == scores[order[k - 1]]))
                continue;
            var ub = UpperBound(misses, k, delta);
            if (ub > alpha)
                break;
            accepted = k;
            bound = ub;
            threshold = k < n ? scores[order[k]] : double.PositiveInfinity;
        }
        return accepted == 0 ? (0, 1, UpperBound(0, 0, delta)) : (threshold, (double)(n - accepted) / n, bound);
    }

    /// <summary>For a fixed review share (PM capacity): the threshold that routes that share of calibration orders to a PM, and the certified miss-rate bound it buys.</summary>
    public static (double Threshold, double MissRateUpperBound) AtReviewShare(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double reviewShare, double delta)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var past = (int)Math.Round((1 - reviewShare) * order.Length);
        var misses = order.Take(past).Count(i => labels[i]);
        var threshold = past < order.Length ? scores[order[past]] : double.PositiveInfinity;
        return (threshold, UpperBound(misses, past, delta));
    }
}
