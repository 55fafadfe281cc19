using Analytics.Core.Spc;
using MathNet.Numerics.Distributions;

namespace Analytics.Core.Tests.Spc;

/// <summary>Charts qcc does not cover, against hand calculations.</summary>
public sealed class ChartTests
{
    private static List<Subgroup> Counts(double[] d, double n) => d.Select((x, i) => new Subgroup($"{i + 1}", [x], n)).ToList();

    private static List<Subgroup> Singles(IEnumerable<double> x) => x.Select((v, i) => new Subgroup($"{i + 1}", [v])).ToList();

    [Fact]
    public void LaneyPWidensLimitsByTheBetweenSubgroupVariation()
    {
        // p = .1 .2 .3 .4 with n = 100: p̄ = .25, σp = √(.25·.75/100) = .0433013, z = ∓3.4641, ∓1.1547,
        // moving ranges of z all 2.3094, σz = 2.3094/1.128 = 2.04734, UCL = .25 + 3·.0433013·2.04734 = .515958.
        var chart = ControlCharts.Compute(ChartKind.LaneyP, Counts([10, 20, 30, 40], 100), new ChartOptions());

        Assert.Equal(0.25, chart.Center, 12);
        Assert.Equal(2.047342, chart.Sigma, 5);
        Assert.Equal(0.515958, chart.Points[0].Ucl, 5);
        Assert.Equal(0, chart.Points[0].Lcl);
    }

    [Fact]
    public void LaneyPDoesNotCryWolfWhereAPChartDoes()
    {
        // Large subgroups with real between-week variation: a plain P chart flags most weeks.
        double[] d = [4300, 4700, 4100, 4550, 4800, 4200, 4450, 4600, 4150, 4400];
        var p = ControlCharts.Compute(ChartKind.P, Counts(d, 10000), new ChartOptions { Tests = SpecialCauseTests.BeyondLimitsOnly });
        var laney = ControlCharts.Compute(ChartKind.LaneyP, Counts(d, 10000), new ChartOptions { Tests = SpecialCauseTests.BeyondLimitsOnly });

        Assert.True(p.Points.Count(x => x.Signals.Count > 0) >= 2);
        Assert.DoesNotContain(laney.Points, x => x.Signals.Count > 0);
    }

    [Fact]
    public void GChartUsesGeometricProbabilityLimits()
    {
        // ḡ = 99 → p = .01: UCL = ln(.00135)/ln(.99) − 1, centre = ln(.5)/ln(.99) − 1, LCL below 0 → 0.
        var values = Enumerable.Repeat(99.0, 9).Append(99.0).ToList();
        var chart = ControlCharts.Compute(ChartKind.G, Singles(values), new ChartOptions());

        Assert.Equal(Math.Log(0.00135) / Math.Log(0.99) - 1, chart.Points[0].Ucl, 9);
        Assert.Equal(Math.Log(0.5) / Math.Log(0.99) - 1, chart.Points[0].Center, 9);
        Assert.Equal(0, chart.Points[0].Lcl);
    }

    [Fact]
    public void TChartFlagsAnUnusuallyLongGap()
    {
        // Times between escalations, mean 10 in Phase I: UCL = −10·ln(.00135) = 66.08.
        var chart = ControlCharts.Compute(ChartKind.T, Singles([8, 12, 9, 11, 10, 10, 70]), new ChartOptions { PhaseOneCount = 6 });

        Assert.Equal(-10 * Math.Log(0.00135), chart.Points[0].Ucl, 9);
        Assert.Equal(10 * Math.Log(2), chart.Points[0].Center, 9);
        Assert.Equal([7], chart.Points.Where(p => p.Signals.Contains(Signals.BeyondLimits)).Select(p => p.Index));
    }

    [Fact]
    public void BoxCoxFindsTheLogForLognormalData()
    {
        // Exactly lognormal quantiles: log x is symmetric, and the likelihood peaks at λ = 0.
        var x = Enumerable.Range(1, 400).Select(i => Math.Exp(Normal.InvCDF(0, 1, (i - 0.5) / 400))).ToList();
        Assert.Equal(0, BoxCox.EstimateLambda(x), 2);
        // Squares of positive normal quantiles far from 0: the square root (λ = ½) restores symmetry.
        var squares = Enumerable.Range(1, 400).Select(i => Math.Pow(10 + Normal.InvCDF(0, 1, (i - 0.5) / 400), 2)).ToList();
        Assert.Equal(0.5, BoxCox.EstimateLambda(squares), 1);
    }

    [Fact]
    public void TransformedChartSaysSoAndGivesLimitsInOriginalUnits()
    {
        var hours = Enumerable.Range(1, 30).Select(i => Math.Exp(1 + 0.5 * Normal.InvCDF(0, 1, ((i * 7) % 30 + 0.5) / 30))).ToList();
        var chart = ControlCharts.Compute(ChartKind.IndividualsMovingRange, Singles(hours), new ChartOptions { Transform = TransformKind.Log });

        Assert.Equal("log", chart.Transform);
        var p = chart.Points[0];
        Assert.Equal(Math.Exp(p.Ucl), p.Original!.Ucl, 9);
        Assert.Equal(hours[0], p.Original.Value, 9);
        Assert.True(p.Original.Lcl > 0);
    }

    [Fact]
    public void LogOfZeroIsRefusedWithHowManyTheFirstAndWhatToDoInstead()
    {
        var ex = Assert.Throws<ArgumentException>(() => ControlCharts.Compute(ChartKind.IndividualsMovingRange, Singles([3, 0, 4, 0]), new ChartOptions { Transform = TransformKind.Log }));
        Assert.Contains("2 of 4 are not (the first in subgroup '2': 0)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("last 0 s", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--transform none", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneSidedCapabilityAgainstAnSla()
    {
        // Mean 20 h, σ 4 h, SLA 32 h: Cpu = (32 − 20)/12 = 1; no lower limit, so no Cp.
        var values = Enumerable.Range(1, 1000).Select(i => 20 + 4 * Normal.InvCDF(0, 1, (i - 0.5) / 1000)).ToList();
        var c = Capability.Compute(values, 20, 4, null, 32, null);

        Assert.Null(c.Cp);
        Assert.Equal(1.0, c.Cpk, 9);
        Assert.Equal(1e6 * (1 - Normal.CDF(0, 1, 3)), c.ExpectedPpmWithin, 6);
        // 1,350 PPM ≈ 3σ long term → 4.5 short-term sigma level with the 1.5σ shift (σ overall ≈ 4 here).
        Assert.Equal(4.5, c.SigmaLevel, 1);
    }
}
