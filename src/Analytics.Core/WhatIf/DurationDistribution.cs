using MathNet.Numerics.Distributions;
using Analytics.Core.Simulation;

namespace Analytics.Core.WhatIf;

/// <summary>
/// A distribution of durations (seconds) learnt from observations. The simulation draws from the observations
/// themselves (inverse of the empirical distribution, linear between order statistics), so tails and point masses
/// such as "answered at once" are kept; the best of three fitted families is reported with its goodness of fit so a
/// reader sees the shape in two numbers.
/// </summary>
/// <remarks>Immutable and thread-safe; draws take the caller's <see cref="Sampler"/>.</remarks>
public sealed class DurationDistribution
{
    private readonly double[] _sorted;

    private DurationDistribution(double[] sorted, DistributionFit fit)
    {
        _sorted = sorted;
        Fit = fit;
    }

    /// <summary>Number of observations.</summary>
    public int Count => _sorted.Length;

    /// <summary>Mean of the observations, seconds.</summary>
    public double Mean => _sorted.Length == 0 ? 0 : _sorted.Average();

    /// <summary>Standard error of <see cref="Mean"/> relative to it (sample sd ÷ √n ÷ mean): how uncertain the calibrated mean is.</summary>
    public double RelativeStandardError { get; private init; }

    /// <summary>The best-fitting family (smallest Kolmogorov–Smirnov distance) and its parameters.</summary>
    public DistributionFit Fit { get; }

    /// <summary>Learns a distribution from durations; negative values (clock skew) count as zero.</summary>
    /// <param name="seconds">The observed durations.</param>
    /// <returns>The distribution; empty input gives a point mass at zero.</returns>
    public static DurationDistribution FromObservations(IEnumerable<double> seconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var sorted = seconds.Select(s => Math.Max(0, s)).Order().ToArray();
        var n = sorted.Length;
        var mean = n == 0 ? 0 : sorted.Average();
        var sd = n < 2 ? 0 : Math.Sqrt(sorted.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        return new DurationDistribution(sorted, DistributionFit.Best(sorted)) { RelativeStandardError = n < 2 || mean <= 0 ? 0 : sd / Math.Sqrt(n) / mean };
    }

    /// <summary>The p-quantile of the observations (type 7).</summary>
    public double Quantile(double p) => QuantileOf(_sorted, p);

    /// <summary>One draw: the empirical quantile at a uniform probability.</summary>
    public double Sample(Sampler sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        return _sorted.Length == 0 ? 0 : QuantileOf(_sorted, sampler.Uniform());
    }

    /// <summary>
    /// A bootstrap resample of the observations (as many, drawn with replacement): one replication's view of what the
    /// calibration could have learnt from another sample of the same process, so that intervals carry the uncertainty
    /// of the whole distribution (its tail too), not only of its mean.
    /// </summary>
    public DurationDistribution Bootstrap(Sampler sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        if (_sorted.Length < 2)
            return this;
        // Draw indices into the sorted observations and lay them out in index order (a counting sort): the resample
        // comes out sorted in linear time.
        var n = _sorted.Length;
        var counts = new int[n];
        for (var i = 0; i < n; i++)
            counts[sampler.Next(n)]++;
        var resample = new double[n];
        var k = 0;
        for (var i = 0; i < n; i++)
            for (var c = counts[i]; c > 0; c--)
                resample[k++] = _sorted[i];
        return new DurationDistribution(resample, Fit) { RelativeStandardError = RelativeStandardError };
    }

    internal static double QuantileOf(double[] sorted, double p) => Mining.DurationSummary.Quantile(sorted, Math.Clamp(p, 0, 1));
}

/// <summary>A parametric family fitted to durations, with its Kolmogorov–Smirnov distance to the observations.</summary>
/// <param name="Family"><c>exponential</c>, <c>lognormal</c>, <c>gamma</c>, or <c>none</c> (fewer than 5 positive observations).</param>
/// <param name="Parameters">Named parameters in seconds (exponential: mean; lognormal: mu and sigma of ln-seconds; gamma: shape and scale).</param>
/// <param name="Ks">Largest distance between the fitted and the empirical distribution function of the positive durations, 0–1.</param>
/// <param name="ZeroShare">Share of durations that are zero (a point mass the families do not model).</param>
public sealed record DistributionFit(string Family, IReadOnlyDictionary<string, double> Parameters, double Ks, double ZeroShare)
{
    /// <summary>Fits exponential and log-normal by maximum likelihood and gamma by moments, and keeps the closest.</summary>
    /// <param name="sorted">Durations in ascending order.</param>
    public static DistributionFit Best(IReadOnlyList<double> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var positive = sorted.Where(s => s > 0).ToArray();
        var zeroShare = sorted.Count == 0 ? 0 : 1 - positive.Length / (double)sorted.Count;
        if (positive.Length < 5)
            return new DistributionFit("none", new Dictionary<string, double>(), double.NaN, zeroShare);
        // KS on at most 4,000 evenly spaced order statistics keeps fitting fast on millions of events.
        var step = Math.Max(1, positive.Length / 4000);
        var mean = positive.Average();
        var variance = positive.Select(x => (x - mean) * (x - mean)).Sum() / Math.Max(1, positive.Length - 1);
        var logs = positive.Select(x => Math.Log(x)).ToArray();
        var mu = logs.Average();
        var sigma = Math.Sqrt(logs.Select(l => (l - mu) * (l - mu)).Sum() / logs.Length);
        var candidates = new List<(string, Dictionary<string, double>, Func<double, double>)>
        {
            ("exponential", new() { ["mean"] = mean }, x => 1 - Math.Exp(-x / mean)),
        };
        if (sigma > 0)
            candidates.Add(("lognormal", new() { ["mu"] = mu, ["sigma"] = sigma }, x => LogNormal.CDF(mu, sigma, x)));
        if (variance > 0)
        {
            var shape = mean * mean / variance;
            var rate = mean / variance;
            candidates.Add(("gamma", new() { ["shape"] = shape, ["scale"] = 1 / rate }, x => Gamma.CDF(shape, rate, x)));
        }
        var best = candidates.Select(c => (c.Item1, c.Item2, Ks: Distance(positive, step, c.Item3))).MinBy(c => c.Ks);
        return new DistributionFit(best.Item1, best.Item2, best.Ks, zeroShare);
    }

    private static double Distance(double[] sorted, int step, Func<double, double> cdf)
    {
        var n = sorted.Length;
        var d = 0.0;
        for (var i = 0; i < n; i += step)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(Math.Abs(f - (double)i / n), Math.Abs((double)(i + 1) / n - f)));
        }
        return d;
    }
}
