using System.Globalization;
using System.Text.Json;
using Analytics.Core.Spc;
using Analytics.Testing;

namespace Analytics.Core.Tests.Spc;

/// <summary>
/// Every chart in ../shared/spc-reference reproduces R qcc 2.7 on qcc's own datasets: centre, limits and statistic of
/// every point to 1e-6 relative, and the points flagged beyond the limits and (with test 2's run set to qcc's 7 and
/// the other tests off) in violating runs. Each case names its reference file.
/// </summary>
public sealed class QccReferenceTests
{
    private static readonly SpecialCauseTests Qcc = SpecialCauseTests.BeyondLimitsOnly with { Run = true, RunLength = 7 };

    private static string Reference(string name) => Path.Combine(RepositoryPaths.Shared, "spc-reference", name);

    private static List<Dictionary<string, string>> Csv(string name)
    {
        var lines = File.ReadAllLines(Reference(name));
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static List<Subgroup> Grouped(string file, string group, string value) =>
        Csv(file).GroupBy(r => r[group]).Select(g => new Subgroup(g.Key, g.Select(r => D(r[value])).ToList())).ToList();

    private static List<Subgroup> Counts(string file, string count, string? label = null, Func<Dictionary<string, string>, bool>? where = null) =>
        Csv(file).Where(where ?? (_ => true)).Select(r => new Subgroup(label is null ? r["sample"] : r[label], [D(r[count])], D(r["size"]))).ToList();

    public static TheoryData<string> ShewhartFiles() => new()
    {
        "pistonrings.xbar.qcc.json", "pistonrings.R.qcc.json", "pistonrings.xbar-uwave-sd.qcc.json", "pistonrings.S.qcc.json",
        "viscosity.xbar.one.qcc.json", "viscosity.MR.qcc.json", "orangejuice.p.qcc.json", "orangejuice.p-revised.qcc.json",
        "orangejuice.np.qcc.json", "orangejuice2.p.qcc.json", "circuit.c.qcc.json", "circuit.c-revised.qcc.json",
        "pcmanufact.u.qcc.json", "dyedcloth.u.qcc.json",
    };

    [Theory]
    [MemberData(nameof(ShewhartFiles))]
    public void ShewhartChartMatchesQcc(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference(file)));
        var expected = doc.RootElement;
        var chart = ChartFor(file);

        Close(expected.GetProperty("center").GetDouble(), chart.Center);
        var points = expected.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(points.Count, chart.Points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var e = points[i];
            var p = chart.Points[i];
            Assert.Equal(e.GetProperty("label").GetString(), p.Label);
            Close(e.GetProperty("statistic").GetDouble(), p.Value);
            Close(e.GetProperty("lcl").GetDouble(), p.Lcl);
            Close(e.GetProperty("ucl").GetDouble(), p.Ucl);
        }
        var violations = expected.GetProperty("violations");
        Assert.Equal(violations.GetProperty("beyond_limits").EnumerateArray().Select(v => v.GetInt32()).Order(),
            chart.Points.Where(p => p.Signals.Contains(Signals.BeyondLimits)).Select(p => p.Index));
        Assert.Equal(violations.GetProperty("violating_runs").EnumerateArray().Select(v => v.GetInt32()).Order(),
            chart.Points.Where(p => p.Signals.Contains(Signals.Run)).Select(p => p.Index));
    }

    /// <summary>Builds the chart each reference file describes, from its qcc call (see the README's table).</summary>
    private static ControlChart ChartFor(string file)
    {
        var options = new ChartOptions { Tests = Qcc };
        switch (file)
        {
            case "pistonrings.xbar.qcc.json":
                return ControlCharts.Compute(ChartKind.XbarR, Grouped("pistonrings.csv", "sample", "diameter"), options with { PhaseOneCount = 25 });
            case "pistonrings.R.qcc.json":
                return ControlCharts.Compute(ChartKind.XbarR, Grouped("pistonrings.csv", "sample", "diameter"), options with { PhaseOneCount = 25 }).Dispersion!;
            case "pistonrings.xbar-uwave-sd.qcc.json":
                return ControlCharts.Compute(ChartKind.XbarS, Grouped("pistonrings.csv", "sample", "diameter"), options with { PhaseOneCount = 25 });
            case "pistonrings.S.qcc.json":
                return ControlCharts.Compute(ChartKind.XbarS, Grouped("pistonrings.csv", "sample", "diameter"), options with { PhaseOneCount = 25 }).Dispersion!;
            case "viscosity.xbar.one.qcc.json":
                return ControlCharts.Compute(ChartKind.IndividualsMovingRange, Counts2("viscosity.csv", "batch", "viscosity"), options with { PhaseOneCount = 20 });
            case "viscosity.MR.qcc.json":
                return ControlCharts.Compute(ChartKind.IndividualsMovingRange, Counts2("viscosity.csv", "batch", "viscosity"), options with { PhaseOneCount = 20 }).Dispersion!;
            case "orangejuice.p.qcc.json":
                return ControlCharts.Compute(ChartKind.P, Counts("orangejuice.csv", "D"), options with { PhaseOneCount = 30 });
            case "orangejuice.p-revised.qcc.json":
                // qcc's call leaves samples 15 and 23 (assignable causes) out of Phase I.
                return ControlCharts.Compute(ChartKind.P, Counts("orangejuice.csv", "D", where: r => r["sample"] is not ("15" or "23")), options with { PhaseOneCount = 28 });
            case "orangejuice.np.qcc.json":
                return ControlCharts.Compute(ChartKind.Np, Counts("orangejuice.csv", "D"), options with { PhaseOneCount = 30 });
            case "orangejuice2.p.qcc.json":
                return ControlCharts.Compute(ChartKind.P, Counts("orangejuice2.csv", "D"), options with { PhaseOneCount = 24 });
            case "circuit.c.qcc.json":
                return ControlCharts.Compute(ChartKind.C, Counts("circuit.csv", "x"), options with { PhaseOneCount = 26 });
            case "circuit.c-revised.qcc.json":
                return ControlCharts.Compute(ChartKind.C, Counts("circuit.csv", "x", where: r => r["sample"] is not ("6" or "20")), options with { PhaseOneCount = 24 });
            case "pcmanufact.u.qcc.json":
                return ControlCharts.Compute(ChartKind.U, Counts("pcmanufact.csv", "x"), options);
            case "dyedcloth.u.qcc.json":
                return ControlCharts.Compute(ChartKind.U, Counts("dyedcloth.csv", "x"), options);
            default:
                throw new ArgumentOutOfRangeException(nameof(file), file, null);
        }
    }

    private static List<Subgroup> Counts2(string file, string label, string value) =>
        Csv(file).Select(r => new Subgroup(r[label], [D(r[value])])).ToList();

    [Fact]
    public void ExcludingSignalledPhaseOnePointsGivesQccsRevisedCLimits()
    {
        // circuit: samples 6 and 20 are the Phase I points beyond the limits; qcc's revised chart drops them.
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference("circuit.c-revised.qcc.json")));
        var chart = ControlCharts.Compute(ChartKind.C, Counts("circuit.csv", "x"), new ChartOptions { PhaseOneCount = 26, ExcludeSignalledPhaseOnePoints = true, Tests = Qcc });

        Assert.Equal(doc.RootElement.GetProperty("center").GetDouble(), chart.Center, 1e-9);
        Assert.Equal(doc.RootElement.GetProperty("lcl").GetDouble(), chart.Points[0].Lcl, 1e-9);
        Assert.Equal(doc.RootElement.GetProperty("ucl").GetDouble(), chart.Points[0].Ucl, 1e-9);
    }

    [Fact]
    public void EwmaMatchesQcc()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference("pistonrings.ewma.qcc.json")));
        var chart = ControlCharts.Compute(ChartKind.Ewma, Grouped("pistonrings.csv", "sample", "diameter"), new ChartOptions { PhaseOneCount = 25, EwmaLambda = 0.2 });

        var points = doc.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(points.Count, chart.Points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            Close(points[i].GetProperty("ewma").GetDouble(), chart.Points[i].Value);
            Close(points[i].GetProperty("lcl").GetDouble(), chart.Points[i].Lcl);
            Close(points[i].GetProperty("ucl").GetDouble(), chart.Points[i].Ucl);
        }
        Assert.Equal(doc.RootElement.GetProperty("violations").GetProperty("indices").EnumerateArray().Select(v => v.GetInt32()),
            chart.Points.Where(p => p.Signals.Contains(Signals.BeyondLimits)).Select(p => p.Index));
    }

    [Fact]
    public void CusumMatchesQcc()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference("pistonrings.cusum.qcc.json")));
        var chart = ControlCharts.Compute(ChartKind.Cusum, Grouped("pistonrings.csv", "sample", "diameter"), new ChartOptions { PhaseOneCount = 25, CusumH = 4, CusumK = 0.5 });

        var points = doc.RootElement.GetProperty("points").EnumerateArray().ToList();
        for (var i = 0; i < points.Count; i++)
        {
            Assert.Equal(points[i].GetProperty("cusum_pos").GetDouble(), chart.Points[i].Value, 1e-9);
            Assert.Equal(points[i].GetProperty("cusum_neg").GetDouble(), chart.Points[i].Lower!.Value, 1e-9);
        }
        var v = doc.RootElement.GetProperty("violations");
        Assert.Equal(v.GetProperty("upper").EnumerateArray().Select(x => x.GetInt32()), chart.Points.Where(p => p.Signals.Contains(Signals.CusumUpper)).Select(p => p.Index));
        Assert.Equal(v.GetProperty("lower").EnumerateArray().Select(x => x.GetInt32()), chart.Points.Where(p => p.Signals.Contains(Signals.CusumLower)).Select(p => p.Index));
    }

    [Fact]
    public void CapabilityMatchesQcc()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference("pistonrings.process.capability.qcc.json")));
        var chart = ControlCharts.Compute(ChartKind.XbarR, Grouped("pistonrings.csv", "sample", "diameter"), new ChartOptions { PhaseOneCount = 25 });

        var c = Capability.Compute(chart.PhaseOneObservations, chart.Center, chart.Sigma, 73.95, 74.05, 74);

        var indices = doc.RootElement.GetProperty("indices");
        Assert.Equal(125, chart.PhaseOneObservations.Count);
        Assert.Equal(indices.GetProperty("Cp").GetProperty("value").GetDouble(), c.Cp!.Value, 1e-9);
        Assert.Equal(indices.GetProperty("Cp_l").GetProperty("value").GetDouble(), c.Cpl!.Value, 1e-9);
        Assert.Equal(indices.GetProperty("Cp_u").GetProperty("value").GetDouble(), c.Cpu!.Value, 1e-9);
        Assert.Equal(indices.GetProperty("Cp_k").GetProperty("value").GetDouble(), c.Cpk, 1e-9);
        Assert.Equal(indices.GetProperty("Cpm").GetProperty("value").GetDouble(), c.Cpm!.Value, 1e-9);
        var unrounded = doc.RootElement.GetProperty("script_exp_pct_unrounded");
        // qcc's expected % out uses the within σ: compare our within-σ PPM (10⁴ PPM = 1 %).
        Assert.Equal(unrounded.GetProperty("below_LSL").GetDouble() + unrounded.GetProperty("above_USL").GetDouble(), c.ExpectedPpmWithin / 1e4, 1e-12);
    }

    /// <summary>Equal to 1e-6 relative (and 1e-12 absolute, for limits at 0).</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Abs(expected) + 1e-12, $"expected {expected:R}, got {actual:R}");
}
