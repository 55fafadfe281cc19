using Analytics.Core.Spc;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// 1,000 control charts (nodes × segments) over two years of daily points, with all eight tests: the work the SPC
/// monitor does after an ingest, without the queries.
/// </summary>
public class SpcBenchmarks
{
    private const int Charts = 1000;
    private const int Days = 730;
    private List<Subgroup>[] _latencies = [];
    private List<Subgroup>[] _ratios = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261127);
        _latencies = Enumerable.Range(0, Charts).Select(_ => Enumerable.Range(0, Days)
            .Select(d => new Subgroup($"d{d}", [Math.Exp(1 + 0.6 * Gaussian(random))])).ToList()).ToArray();
        _ratios = Enumerable.Range(0, Charts).Select(_ => Enumerable.Range(0, Days)
            .Select(d => { var n = 200 + random.Next(400); return new Subgroup($"d{d}", [Binomial(random, n, 0.43)], n); }).ToList()).ToArray();
    }

    [Benchmark]
    public int IndividualsLogTransformed1000()
    {
        var signals = 0;
        var options = new ChartOptions { Transform = TransformKind.Log, PhaseOneCount = 365 };
        foreach (var series in _latencies)
            signals += ControlCharts.Compute(ChartKind.IndividualsMovingRange, series, options).Points.Count(p => p.Signals.Count > 0);
        return signals;
    }

    [Benchmark]
    public int LaneyP1000()
    {
        var signals = 0;
        var options = new ChartOptions { PhaseOneCount = 365 };
        foreach (var series in _ratios)
            signals += ControlCharts.Compute(ChartKind.LaneyP, series, options).Points.Count(p => p.Signals.Count > 0);
        return signals;
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static double Binomial(Random r, int n, double p)
    {
        var k = 0;
        for (var i = 0; i < n; i++)
            if (r.NextDouble() < p)
                k++;
        return k;
    }
}
