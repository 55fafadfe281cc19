using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;
using MathNet.Numerics;

namespace Analytics.Core.Spc;

/// <summary>
/// Control-chart constants for subgroups of n normal observations, n = 2..50.
/// </summary>
/// <remarks>
/// d2 (mean range / σ) and d3 (standard deviation of the range / σ) are computed by numerical integration of the
/// distribution of the range (Tippett 1925): d2 = ∫(1 − Φⁿ − (1−Φ)ⁿ)dx and
/// E[R²] = 2∬_{x&lt;y}(1 − Φ(y)ⁿ − (1−Φ(x))ⁿ + (Φ(y)−Φ(x))ⁿ)dx dy. They are then rounded as the published tables
/// are: d2 to 3 decimals (the table R's qcc and most textbooks use). For d3, n = 2..25, the published 7-decimal table
/// that qcc ships (<c>se.R.unscaled</c>) is used as is, because it differs from the exact value in the 6th decimal
/// (d3(2) is exactly √(2 − 4/π) = 0.8525025, the table says 0.8525033) and R-chart limits should agree with qcc's;
/// beyond 25 the computed value, rounded to 7 decimals. c4 = √(2/(n−1))·Γ(n/2)/Γ((n−1)/2) exactly.
/// Thread-safe (computed once, lazily).
/// </remarks>
public static class SpcConstants
{
    private const int MaxN = 50;
    private static readonly Lazy<(double[] D2Exact, double[] D3Exact)> Tables = new(Compute);

    /// <summary>d2(n) rounded to 3 decimals, as tabulated.</summary>
    public static double D2(int n) => Math.Round(Tables.Value.D2Exact[Check(n)], 3, MidpointRounding.AwayFromZero);

    /// <summary>d2(n) unrounded.</summary>
    public static double D2Exact(int n) => Tables.Value.D2Exact[Check(n)];

    /// <summary>d3(n) as tabulated (see the remarks).</summary>
    public static double D3(int n) => Check(n) < PublishedD3.Length ? PublishedD3[n] : Math.Round(Tables.Value.D3Exact[n], 7, MidpointRounding.AwayFromZero);

    /// <summary>d3(n) computed by integration, unrounded.</summary>
    public static double D3Exact(int n) => Tables.Value.D3Exact[Check(n)];

    /// <summary>The published d3 table for n = 0..25 (qcc's <c>se.R.unscaled</c>); entries 0 and 1 are unused.</summary>
    private static readonly double[] PublishedD3 =
    [
        double.NaN, double.NaN, 0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378, 0.8078413, 0.7970584,
        0.7873230, 0.7784873, 0.7704257, 0.7630330, 0.7562217, 0.7499188, 0.7440627, 0.7386021, 0.7334929, 0.7286980,
        0.7241851, 0.7199267, 0.7158987, 0.7120802, 0.7084528,
    ];

    /// <summary>c4(n), the bias of the sample standard deviation: E[s] = c4·σ.</summary>
    public static double C4(int n)
    {
        if (n < 2)
            throw new ArgumentOutOfRangeException(nameof(n), n, "c4 needs n ≥ 2");
        return Math.Sqrt(2.0 / (n - 1)) * Math.Exp(SpecialFunctions.GammaLn(n / 2.0) - SpecialFunctions.GammaLn((n - 1) / 2.0));
    }

    private static int Check(int n) => n is >= 2 and <= MaxN ? n : throw new ArgumentOutOfRangeException(nameof(n), n, $"subgroup size must be 2..{MaxN}");

    private static (double[], double[]) Compute()
    {
        var d2 = new double[MaxN + 1];
        var d3 = new double[MaxN + 1];
        for (var n = 2; n <= MaxN; n++)
        {
            var k = n;
            d2[n] = GaussLegendreRule.Integrate(x =>
            {
                var p = Normal.CDF(0, 1, x);
                return 1 - Math.Pow(p, k) - Math.Pow(1 - p, k);
            }, -12, 12, 1024);
            // y = x + t with t ≥ 0 covers the half-plane x < y.
            var er2 = 2 * GaussLegendreRule.Integrate((x, t) =>
            {
                var fx = Normal.CDF(0, 1, x);
                var fy = Normal.CDF(0, 1, x + t);
                return 1 - Math.Pow(fy, k) - Math.Pow(1 - fx, k) + Math.Pow(fy - fx, k);
            }, -12, 12, 0, 24, 256);
            d3[n] = Math.Sqrt(er2 - d2[n] * d2[n]);
        }
        return (d2, d3);
    }
}
