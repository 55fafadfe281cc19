using MathNet.Numerics.Optimization;

namespace Analytics.Core.Spc;

/// <summary>
/// The Box-Cox transform y = (x^λ − 1)/λ (ln x at λ = 0) for positive data, which is increasing in x for every λ,
/// so limits transform back in order. λ is estimated by maximising the profile log-likelihood
/// ℓ(λ) = −n/2·ln σ̂²(λ) + (λ − 1)·Σ ln xᵢ over [−5, 5] (Box and Cox 1964).
/// </summary>
public static class BoxCox
{
    /// <summary>Transforms one value.</summary>
    public static double Apply(double x, double lambda) => Math.Abs(lambda) < 1e-12 ? Math.Log(x) : (Math.Pow(x, lambda) - 1) / lambda;

    /// <summary>Undoes <see cref="Apply"/>; values outside the transform's range map to 0 or +∞.</summary>
    public static double Invert(double y, double lambda)
    {
        if (Math.Abs(lambda) < 1e-12)
            return Math.Exp(y);
        var b = lambda * y + 1;
        if (b <= 0)
            return lambda > 0 ? 0 : double.PositiveInfinity;
        return Math.Pow(b, 1 / lambda);
    }

    /// <summary>The maximum-likelihood λ for positive data.</summary>
    /// <param name="values">At least two positive values, not all equal.</param>
    /// <returns>λ in [−5, 5].</returns>
    public static double EstimateLambda(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2 || values.Any(v => v <= 0 || !double.IsFinite(v)))
            throw new ArgumentException("Box-Cox needs at least two positive values", nameof(values));
        var logSum = values.Sum(Math.Log);
        var n = values.Count;
        double NegativeLogLikelihood(double lambda)
        {
            double mean = 0, m2 = 0;
            var k = 0;
            foreach (var x in values)
            {
                var y = Apply(x, lambda);
                k++;
                var d = y - mean;
                mean += d / k;
                m2 += d * (y - mean);
            }
            var variance = m2 / n;
            return variance <= 0 ? double.PositiveInfinity : n / 2.0 * Math.Log(variance) - (lambda - 1) * logSum;
        }
        // Coarse grid first (the likelihood can be flat), then Brent's golden-section refinement around the best cell.
        var best = -5.0;
        var bestValue = double.PositiveInfinity;
        for (var l = -5.0; l <= 5.0 + 1e-9; l += 0.25)
        {
            var v = NegativeLogLikelihood(l);
            if (v < bestValue)
                (best, bestValue) = (l, v);
        }
        var lower = Math.Max(-5, best - 0.25);
        var upper = Math.Min(5, best + 0.25);
        return GoldenSectionMinimizer.Minimum(ObjectiveFunction.ScalarValue(NegativeLogLikelihood), lower, upper, 1e-10, 1000).MinimizingPoint;
    }
}
