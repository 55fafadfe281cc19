using MathNet.Numerics.Distributions;

namespace Analytics.Core.Spc;

/// <summary>
/// Process capability against specification limits (e.g. an approval SLA), in the chart's scale.
/// </summary>
/// <param name="WithinSigma">σ within subgroups, from the chart (R̄/d2, S̄/c4 or MR̄/d2).</param>
/// <param name="OverallSigma">σ overall: the sample standard deviation of all Phase I observations divided by c4(N) (Minitab's unbiased default).</param>
/// <param name="Mean">Mean of the Phase I observations (the chart's centre for X̄ charts).</param>
/// <param name="Cp">(USL − LSL)/6σ_within; <c>null</c> with only one limit.</param>
/// <param name="Cpl">(mean − LSL)/3σ_within.</param>
/// <param name="Cpu">(USL − mean)/3σ_within.</param>
/// <param name="Cpk">min(Cpl, Cpu) over the limits given (one-sided when only one exists).</param>
/// <param name="Cpm">Cp/√(1 + ((mean − target)/σ_within)²) when a target and both limits are given.</param>
/// <param name="Pp">As Cp with σ_overall.</param>
/// <param name="Ppl">As Cpl with σ_overall.</param>
/// <param name="Ppu">As Cpu with σ_overall.</param>
/// <param name="Ppk">As Cpk with σ_overall.</param>
/// <param name="ExpectedPpmWithin">Parts per million expected outside the limits, normal theory with σ_within.</param>
/// <param name="ExpectedPpmOverall">The same with σ_overall; this is the DPMO.</param>
/// <param name="ObservedPpm">Observations strictly outside the limits, per million.</param>
/// <param name="SigmaLevel">Φ⁻¹(1 − DPMO/10⁶) + 1.5: the conventional short-term sigma level with the 1.5σ shift.</param>
public sealed record Capability(double WithinSigma, double OverallSigma, double Mean, double? Cp, double? Cpl, double? Cpu, double Cpk, double? Cpm,
    double? Pp, double? Ppl, double? Ppu, double Ppk, double ExpectedPpmWithin, double ExpectedPpmOverall, double ObservedPpm, double SigmaLevel)
{
    /// <summary>Capability of observations against limits; at least one limit is needed.</summary>
    /// <param name="observations">Phase I observations (transformed if the chart is).</param>
    /// <param name="mean">The process centre: the chart's centre for X̄ charts, else the observations' mean.</param>
    /// <param name="withinSigma">σ within subgroups.</param>
    /// <param name="lsl">Lower specification limit, in the same scale.</param>
    /// <param name="usl">Upper specification limit, in the same scale.</param>
    /// <param name="target">Target, for Cpm.</param>
    /// <returns>The indices.</returns>
    public static Capability Compute(IReadOnlyList<double> observations, double mean, double withinSigma, double? lsl, double? usl, double? target)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (lsl is null && usl is null)
            throw new ArgumentException("capability needs a lower or an upper specification limit");
        if (lsl >= usl)
            throw new ArgumentException("the lower specification limit must be below the upper one");
        if (observations.Count < 2)
            throw new ArgumentException("capability needs at least two observations");
        var n = observations.Count;
        var sampleMean = observations.Average();
        var s = Math.Sqrt(observations.Sum(v => (v - sampleMean) * (v - sampleMean)) / (n - 1));
        var overall = s / SpcConstants.C4(n);
        double? Lower(double sigma) => lsl is { } l ? (mean - l) / (3 * sigma) : null;
        double? Upper(double sigma) => usl is { } u ? (u - mean) / (3 * sigma) : null;
        double? Both(double sigma) => lsl is { } l && usl is { } u ? (u - l) / (6 * sigma) : null;
        static double Min(double? a, double? b) => Math.Min(a ?? double.PositiveInfinity, b ?? double.PositiveInfinity);
        double Ppm(double sigma) => 1e6 * ((lsl is { } l ? Normal.CDF(mean, sigma, l) : 0) + (usl is { } u ? 1 - Normal.CDF(mean, sigma, u) : 0));
        var cp = Both(withinSigma);
        double? cpm = cp is { } c && target is { } t ? c / Math.Sqrt(1 + Math.Pow((mean - t) / withinSigma, 2)) : null;
        var dpmo = Ppm(overall);
        var observed = 1e6 * observations.Count(v => v < (lsl ?? double.NegativeInfinity) || v > (usl ?? double.PositiveInfinity)) / n;
        var sigmaLevel = dpmo <= 0 ? double.PositiveInfinity : Normal.InvCDF(0, 1, Math.Max(1e-300, 1 - dpmo / 1e6)) + 1.5;
        return new Capability(withinSigma, overall, mean, cp, Lower(withinSigma), Upper(withinSigma), Min(Lower(withinSigma), Upper(withinSigma)), cpm,
            Both(overall), Lower(overall), Upper(overall), Min(Lower(overall), Upper(overall)), Ppm(withinSigma), dpmo, observed, sigmaLevel);
    }
}
