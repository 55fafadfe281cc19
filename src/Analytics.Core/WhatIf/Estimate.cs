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
            return new Estimate(mean, mean, mean) { Values = v };
        var sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        var half = StudentT.InvCDF(0, 1, v.Length - 1, 0.975) * sd / Math.Sqrt(v.Length);
        return new Estimate(mean, mean - half, mean + half) { Values = v };
    }

    /// <summary>The per-replication values behind the estimate (finite ones).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary>Standard deviation of single replications (the spread of one run), NaN below two.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Spread => Values.Count < 2 ? double.NaN : Math.Sqrt(Values.Sum(x => (x - Mean) * (x - Mean)) / (Values.Count - 1));

    /// <summary>
    /// Distribution-free prediction interval of one more replication (where a single period's outcome should fall):
    /// the order statistics x(j) and x(n+1−j) of the n replications with j = ⌊(n+1)(1−level)/2⌋, which cover a new
    /// draw with probability (n+1−2j)/(n+1) — for 20 replications and 0.9 their minimum and maximum, 90.5%. Sample
    /// quantiles at 5% and 95% would cover only about 81% at that n. NaN when n is too small for the level
    /// (below 19 replications for 0.9).
    /// </summary>
    public (double Low, double High) Prediction(double level = 0.9)
    {
        var n = Values.Count;
        var j = (int)Math.Floor((n + 1) * (1 - level) / 2 + 1e-9);
        if (n < 2 || j < 1)
            return (double.NaN, double.NaN);
        var sorted = Values.Order().ToArray();
        return (sorted[j - 1], sorted[n - j]);
    }

    /// <summary>Replications needed for a distribution-free prediction interval at <paramref name="level"/> (19 for 0.9).</summary>
    public static int ReplicationsForPrediction(double level = 0.9) => (int)Math.Ceiling(2 / (1 - level) - 1e-9) - 1;
}
