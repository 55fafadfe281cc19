namespace Analytics.Core.Simulation;

/// <summary>
/// Seeded random draws for the simulation. Same seed, same sequence: <see cref="Random"/> with a seed is deterministic
/// across runs and machines for a given .NET version. Not thread-safe: one sampler per simulation.
/// </summary>
public sealed class Sampler
{
    private readonly Random _random;

    /// <summary>Creates a sampler.</summary>
    public Sampler(int seed) => _random = new Random(seed);

    /// <summary>Uniform in [0, 1).</summary>
    public double Uniform() => _random.NextDouble();

    /// <summary>Uniform in [a, b).</summary>
    public double Uniform(double a, double b) => a + (b - a) * _random.NextDouble();

    /// <summary>An integer in [0, n).</summary>
    public int Next(int n) => _random.Next(n);

    /// <summary>True with probability p.</summary>
    public bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    /// <summary>Log-normal with the given mean and coefficient of variation.</summary>
    public double LogNormal(double mean, double cv)
    {
        var sigma2 = Math.Log(1 + cv * cv);
        return Math.Exp(Math.Log(mean) - sigma2 / 2 + Math.Sqrt(sigma2) * Normal());
    }

    /// <summary>Poisson with mean λ (Knuth for small λ, normal approximation beyond 60).</summary>
    public int Poisson(double lambda)
    {
        if (lambda <= 0)
            return 0;
        if (lambda > 60)
            return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Normal()));
        var l = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= _random.NextDouble();
        }
        while (p > l);
        return k - 1;
    }

    /// <summary>An index drawn with the given weights.</summary>
    public int Choose(IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Choose(weights as double[] ?? [.. weights]);
    }

    /// <summary>An index drawn with the given weights (non-negative, not all zero).</summary>
    public int Choose(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
            total += w;
        var u = _random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
                return i;
        }
        return weights.Length - 1;
    }
}
