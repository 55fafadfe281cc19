using MathNet.Numerics.Distributions;

namespace Analytics.Core.WhatIf;

/// <summary>A mean over simulation replications with its 95% confidence interval (Student t).</summary>
/// <param name="Mean">Mean over replications.</param>
/// <param name="Low">Lower end of the 95% interval.</param>
/// <param name="High">Upper end of the 95% interval.</param>
public sealed record Estimate(double Mean, double Low, double High)
{
    /// <summary>The estimate from per-replication values (NaN values are left out).</summary>
    public static Estimate Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0)
            return new Estimate(double.NaN, double.NaN, double.NaN);
        var mean = v.Average();
        if (v.Length == 1)
            return new Estimate(mean, mean, mean);
        var sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        var half = StudentT.InvCDF(0, 1, v.Length - 1, 0.975) * sd / Math.Sqrt(v.Length);
        return new Estimate(mean, mean - half, mean + half);
    }
}
