using System.Globalization;

namespace Analytics.Core.Spc;

/// <summary>
/// Computes control charts from subgroups, the way R's qcc and Minitab do: limits from Phase I only (the first
/// <see cref="ChartOptions.PhaseOneCount"/> subgroups), frozen for Phase II; σ by UWAVE-R (X̄-R, EWMA, CUSUM),
/// UWAVE-SD (X̄-S) or the mean moving range (I-MR); lower limits of ranges, deviations and counts truncated at 0.
/// </summary>
/// <remarks>Pure computation; thread-safe. Throws <see cref="ArgumentException"/> for data a chart cannot take (e.g. a log of 0).</remarks>
public static class ControlCharts
{
    /// <summary>Computes a chart.</summary>
    /// <param name="kind">The chart.</param>
    /// <param name="subgroups">In time order.</param>
    /// <param name="options">Phase I, σ width, tests, transform and chart parameters.</param>
    /// <returns>The chart with its points and, for X̄-R, X̄-S and I-MR, the dispersion companion.</returns>
    public static ControlChart Compute(ChartKind kind, IReadOnlyList<Subgroup> subgroups, ChartOptions options)
    {
        ArgumentNullException.ThrowIfNull(subgroups);
        ArgumentNullException.ThrowIfNull(options);
        if (subgroups.Count == 0)
            throw new ArgumentException("a chart needs at least one subgroup", nameof(subgroups));
        var phaseOne = Math.Clamp(options.PhaseOneCount ?? subgroups.Count, 1, subgroups.Count);
        var (data, transform, lambda) = Transform(kind, subgroups, phaseOne, options);
        var include = Enumerable.Range(0, subgroups.Count).Select(i => i < phaseOne).ToArray();
        var chart = ComputeOnce(kind, data, phaseOne, include, options, transform);
        for (var round = 0; options.ExcludeSignalledPhaseOnePoints && round < 10; round++)
        {
            var dropped = chart.Points.Where(p => p.PhaseOne && include[p.Index - 1] && p.Signals.Contains(Signals.BeyondLimits)).ToList();
            if (dropped.Count == 0 || dropped.Count >= include.Count(x => x))
                break;
            foreach (var p in dropped)
                include[p.Index - 1] = false;
            chart = ComputeOnce(kind, data, phaseOne, include, options, transform);
        }
        return lambda is { } l ? BackTransform(chart, l, transform) : chart;
    }

    private static (IReadOnlyList<Subgroup> Data, string Name, double? Lambda) Transform(ChartKind kind, IReadOnlyList<Subgroup> subgroups, int phaseOne, ChartOptions options)
    {
        if (options.Transform == TransformKind.None)
            return (subgroups, "none", null);
        if (ChartKinds.IsAttribute(kind) || kind is ChartKind.G or ChartKind.T)
            throw new ArgumentException($"a {ChartKinds.Name(kind)} chart is not transformed; transforms apply to latency charts (imr, xbar-r, xbar-s, ewma, cusum)");
        var bad = subgroups.SelectMany(s => s.Values.Select(v => (s.Label, Value: v))).Where(x => x.Value <= 0 || !double.IsFinite(x.Value)).ToList();
        if (bad.Count > 0)
        {
            var all = subgroups.Sum(s => s.Values.Count);
            var zeros = bad.Count(x => x.Value == 0);
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"a {options.Transform.ToString().ToLowerInvariant()} transform needs positive values, and {bad.Count:N0} of {all:N0} are not (the first in subgroup '{bad[0].Label}': {bad[0].Value})")
                + (zeros > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {zeros:N0} are 0 — for durations, cases or waits that last 0 s (a single event, or events at one instant)") : "")
                + ". Chart them without a transform (--transform none), or chart a metric without such values");
        }
        double lambda;
        string name;
        if (options.Transform == TransformKind.Log)
        {
            lambda = 0;
            name = "log";
        }
        else
        {
            lambda = options.BoxCoxLambda ?? BoxCox.EstimateLambda(subgroups.Take(phaseOne).SelectMany(s => s.Values).ToList());
            if (options.RoundBoxCoxLambda && options.BoxCoxLambda is null)
                lambda = Math.Round(lambda * 2, MidpointRounding.AwayFromZero) / 2;
            name = string.Create(CultureInfo.InvariantCulture, $"boxcox({lambda:0.####})");
        }
        var transformed = subgroups.Select(s => s with { Values = s.Values.Select(v => BoxCox.Apply(v, lambda)).ToList() }).ToList();
        return (transformed, name, lambda);
    }

    private static ControlChart BackTransform(ControlChart chart, double lambda, string transform)
    {
        // CUSUM sums are in standard errors, not in the data's units: there is nothing to transform back.
        if (chart.Kind == ChartKind.Cusum)
            return chart;
        OriginalScale Back(ChartPoint p) => new(BoxCox.Invert(p.Value, lambda), BoxCox.Invert(p.Center, lambda), BoxCox.Invert(p.Lcl, lambda), BoxCox.Invert(p.Ucl, lambda));
        return chart with { Points = chart.Points.Select(p => p with { Original = Back(p) }).ToList(), Transform = transform };
    }

    private static ControlChart ComputeOnce(ChartKind kind, IReadOnlyList<Subgroup> data, int phaseOne, bool[] include, ChartOptions o, string transform) => kind switch
    {
        ChartKind.XbarR => Xbar(data, phaseOne, include, o, transform, useRanges: true),
        ChartKind.XbarS => Xbar(data, phaseOne, include, o, transform, useRanges: false),
        ChartKind.IndividualsMovingRange => Individuals(data, phaseOne, include, o, transform),
        ChartKind.Ewma => Ewma(data, phaseOne, include, o, transform),
        ChartKind.Cusum => Cusum(data, phaseOne, include, o, transform),
        ChartKind.P or ChartKind.Np or ChartKind.LaneyP => Proportion(kind, data, phaseOne, include, o),
        ChartKind.C => Counts(data, phaseOne, include, o, perUnit: false),
        ChartKind.U => Counts(data, phaseOne, include, o, perUnit: true),
        ChartKind.G => Rare(data, phaseOne, include, o, geometric: true),
        ChartKind.T => Rare(data, phaseOne, include, o, geometric: false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static ControlChart Xbar(IReadOnlyList<Subgroup> data, int phaseOne, bool[] include, ChartOptions o, string transform, bool useRanges)
    {
        var n = data.Select(s => s.Values.Count).ToArray();
        if (n.Any(x => x < 2))
            throw new ArgumentException("X̄ charts need at least two observations in every subgroup; use imr for individual values");
        var means = data.Select(s => s.Values.Average()).ToArray();
        var spread = data.Select(s => useRanges ? s.Values.Max() - s.Values.Min() : StandardDeviation(s.Values)).ToArray();
        var est = Enumerable.Range(0, data.Count).Where(i => include[i]).ToList();
        var sigma = est.Average(i => useRanges ? spread[i] / SpcConstants.D2(n[i]) : spread[i] / SpcConstants.C4(n[i]));
        var center = est.Sum(i => n[i] * means[i]) / est.Sum(i => n[i]);
        var k = o.Sigmas;
        var xbar = Build(data, phaseOne, means, i => center, i => sigma / Math.Sqrt(n[i]), k, o.Tests, lowerBound: double.NegativeInfinity, upperBound: _ => double.PositiveInfinity);
        var spreadCenter = est.Sum(i => n[i] * spread[i]) / est.Sum(i => n[i]);
        Func<int, double> spreadSe = useRanges ? i => SpcConstants.D3(n[i]) * sigma : i => sigma * Math.Sqrt(1 - Math.Pow(SpcConstants.C4(n[i]), 2));
        var dispersion = Build(data, phaseOne, spread, _ => spreadCenter, spreadSe, k,
            DispersionTests(o.Tests), lowerBound: 0, upperBound: _ => double.PositiveInfinity);
        return new ControlChart(useRanges ? ChartKind.XbarR : ChartKind.XbarS, transform, center, sigma, xbar,
            new ControlChart(useRanges ? ChartKind.XbarR : ChartKind.XbarS, transform, spreadCenter, sigma, dispersion, null) { Name = useRanges ? "r" : "s" })
        {
            PhaseOneObservations = data.Take(phaseOne).SelectMany(s => s.Values).ToList(),
        };
    }

    private static ControlChart Individuals(IReadOnlyList<Subgroup> data, int phaseOne, bool[] include, ChartOptions o, string transform)
    {
        var x = data.Select(s => s.Values.Count == 1 ? s.Values[0] : throw new ArgumentException($"an individuals chart takes one value per point; '{s.Label}' has {s.Values.Count}")).ToArray();
        var mr = new double[x.Length];
        for (var i = 1; i < x.Length; i++)
            mr[i] = Math.Abs(x[i] - x[i - 1]);
        // Moving ranges of Phase I: consecutive pairs that are both in the baseline.
        var phaseOneRanges = Enumerable.Range(1, Math.Max(0, phaseOne - 1)).Where(i => include[i] && include[i - 1]).Select(i => mr[i]).ToList();
        if (phaseOneRanges.Count == 0)
            throw new ArgumentException("an individuals chart needs at least two Phase I points");
        var mrBar = phaseOneRanges.Average();
        var sigma = mrBar / SpcConstants.D2(2);
        var center = Enumerable.Range(0, phaseOne).Where(i => include[i]).Average(i => x[i]);
        var individuals = Build(data, phaseOne, x, _ => center, _ => sigma, o.Sigmas, o.Tests, double.NegativeInfinity, _ => double.PositiveInfinity);
        var mrData = data.Skip(1).ToList();
        var ranges = Build(mrData, phaseOne - 1, mr.Skip(1).ToArray(), _ => mrBar, _ => SpcConstants.D3(2) * sigma, o.Sigmas,
            DispersionTests(o.Tests), 0, _ => double.PositiveInfinity);
        return new ControlChart(ChartKind.IndividualsMovingRange, transform, center, sigma, individuals,
            new ControlChart(ChartKind.IndividualsMovingRange, transform, mrBar, sigma, ranges, null) { Name = "mr" })
        {
            PhaseOneObservations = x.Take(phaseOne).ToList(),
        };
    }

    /// <summary>σ for EWMA and CUSUM: UWAVE-R for subgroups, the mean moving range for individual values.</summary>
    private static (double[] Means, int[] Sizes, double Center, double Sigma) Summaries(IReadOnlyList<Subgroup> data, int phaseOne, bool[] include)
    {
        var n = data.Select(s => s.Values.Count).ToArray();
        var means = data.Select(s => s.Values.Average()).ToArray();
        var est = Enumerable.Range(0, phaseOne).Where(i => include[i]).ToList();
        var center = est.Sum(i => n[i] * means[i]) / est.Sum(i => n[i]);
        double sigma;
        if (n.Take(phaseOne).All(x => x >= 2))
            sigma = est.Average(i => (data[i].Values.Max() - data[i].Values.Min()) / SpcConstants.D2(n[i]));
        else
        {
            var ranges = Enumerable.Range(1, phaseOne - 1).Where(i => include[i] && include[i - 1]).Select(i => Math.Abs(means[i] - means[i - 1])).ToList();
            sigma = ranges.Count == 0 ? 0 : ranges.Average() / SpcConstants.D2(2);
        }
        return (means, n, center, sigma);
    }

    private static ControlChart Ewma(IReadOnlyList<Subgroup> data, int phaseOne, bool[] include, ChartOptions o, string transform)
    {
        var (means, n, center, sigma) = Summaries(data, phaseOne, include);
        var lambda = o.EwmaLambda;
        if (lambda is <= 0 or > 1)
            throw new ArgumentException("the EWMA weight λ must be in (0, 1]");
        var z = new double[means.Length];
        var previous = center;
        for (var i = 0; i < means.Length; i++)
            previous = z[i] = lambda * means[i] + (1 - lambda) * previous;
        var points = Build(data, phaseOne, z, _ => center,
            i => sigma / Math.Sqrt(n[i]) * Math.Sqrt(lambda / (2 - lambda) * (1 - Math.Pow(1 - lambda, 2 * (i + 1)))), o.Sigmas,
            SpecialCauseTests.BeyondLimitsOnly, double.NegativeInfinity, _ => double.PositiveInfinity);
        return new ControlChart(ChartKind.Ewma, transform, center, sigma, points, null) { PhaseOneObservations = data.Take(phaseOne).SelectMany(s => s.Values).ToList() };
    }

    private static ControlChart Cusum(IReadOnlyList<Subgroup> data, int phaseOne, bool[] include, ChartOptions o, string transform)
    {
        var (means, n, center, sigma) = Summaries(data, phaseOne, include);
        double upper = 0, lower = 0;
        var points = new List<ChartPoint>(means.Length);
        for (var i = 0; i < means.Length; i++)
        {
            var z = (means[i] - center) / (sigma / Math.Sqrt(n[i]));
            upper = Math.Max(0, upper + z - o.CusumK);
            lower = Math.Max(0, lower - z - o.CusumK);
            var signals = new List<string>();
            if (upper > o.CusumH)
                signals.Add(Signals.CusumUpper);
            if (lower > o.CusumH)
                signals.Add(Signals.CusumLower);
            points.Add(new ChartPoint(i + 1, data[i].Label, i < phaseOne, n[i], upper, 0, -o.CusumH, o.CusumH, signals) { Lower = -lower });
        }
        return new ControlChart(ChartKind.Cusum, transform, center, sigma, points, null) { PhaseOneObservations = data.Take(phaseOne).SelectMany(s => s.Values).ToList() };
    }

    private static ControlChart Proportion(ChartKind kind, IReadOnlyList<Subgroup> data, int phaseOne, bool[] include, ChartOptions o)
    {
        var d = data.Select(Count).ToArray();
        var n = data.Select(s => s.Size > 0 ? s.Size : throw new ArgumentException($"subgroup '{s.Label}' needs a positive size for a {ChartKinds.Name(kind)} chart")).ToArray();
        for (var i = 0; i < d.Length; i++)
            if (d[i] > n[i])
                throw new ArgumentException($"subgroup '{data[i].Label}' has {d[i]} defectives among {n[i]}");
        var est = Enumerable.Range(0, phaseOne).Where(i => include[i]).ToList();
        var pBar = est.Sum(i => d[i]) / est.Sum(i => n[i]);
        var p = d.Select((x, i) => x / n[i]).ToArray();
        double SigmaP(int i) => Math.Sqrt(pBar * (1 - pBar) / n[i]);
        if (kind == ChartKind.Np)
        {
            var np = Build(data, phaseOne, d, i => n[i] * pBar, i => Math.Sqrt(n[i] * pBar * (1 - pBar)), o.Sigmas, o.Tests, 0, i => n[i]);
            return new ControlChart(ChartKind.Np, "none", n[0] * pBar, Math.Sqrt(pBar * (1 - pBar)), np, null);
        }
        if (kind == ChartKind.P)
        {
            var points = Build(data, phaseOne, p, _ => pBar, SigmaP, o.Sigmas, o.Tests, 0, _ => 1);
            return new ControlChart(ChartKind.P, "none", pBar, Math.Sqrt(pBar * (1 - pBar)), points, null);
        }
        // Laney P′: standardise, measure the between-subgroup variation of z by its moving range, widen the limits by it.
        var z = p.Select((x, i) => SigmaP(i) > 0 ? (x - pBar) / SigmaP(i) : 0).ToArray();
        var mr = Enumerable.Range(1, phaseOne - 1).Where(i => include[i] && include[i - 1]).Select(i => Math.Abs(z[i] - z[i - 1])).ToList();
        var sigmaZ = mr.Count == 0 ? 1 : mr.Average() / SpcConstants.D2(2);
        var laney = Build(data, phaseOne, p, _ => pBar, i => SigmaP(i) * sigmaZ, o.Sigmas, o.Tests, 0, _ => 1);
        return new ControlChart(ChartKind.LaneyP, "none", pBar, sigmaZ, laney, null);
    }

    private static ControlChart Counts(IReadOnlyList<Subgroup> data, int phaseOne, bool[] include, ChartOptions o, bool perUnit)
    {
        var x = data.Select(Count).ToArray();
        var est = Enumerable.Range(0, phaseOne).Where(i => include[i]).ToList();
        if (!perUnit)
        {
            var cBar = est.Average(i => x[i]);
            var c = Build(data, phaseOne, x, _ => cBar, _ => Math.Sqrt(cBar), o.Sigmas, o.Tests, 0, _ => double.PositiveInfinity);
            return new ControlChart(ChartKind.C, "none", cBar, Math.Sqrt(cBar), c, null);
        }
        var n = data.Select(s => s.Size > 0 ? s.Size : throw new ArgumentException($"subgroup '{s.Label}' needs a positive size for a u chart")).ToArray();
        var uBar = est.Sum(i => x[i]) / est.Sum(i => n[i]);
        var u = Build(data, phaseOne, x.Select((v, i) => v / n[i]).ToArray(), _ => uBar, i => Math.Sqrt(uBar / n[i]), o.Sigmas, o.Tests, 0, _ => double.PositiveInfinity);
        return new ControlChart(ChartKind.U, "none", uBar, Math.Sqrt(uBar), u, null);
    }

    /// <summary>
    /// G and T charts with probability limits: G models the count between events as geometric with p = 1/(ḡ + 1)
    /// (limits ln(α)/ln(1−p) − 1 …), T models the time between events as exponential with mean θ (limits −θ·ln α …).
    /// The centre is the distribution's median. Only tests 1 and 2 apply: the limits are not ±3σ, so zones mean nothing.
    /// </summary>
    private static ControlChart Rare(IReadOnlyList<Subgroup> data, int phaseOne, bool[] include, ChartOptions o, bool geometric)
    {
        var x = data.Select(s => s.Values.Count == 1 && s.Values[0] >= 0 ? s.Values[0] : throw new ArgumentException($"a {(geometric ? "g" : "t")} chart takes one non-negative value per point ('{s.Label}')")).ToArray();
        var mean = Enumerable.Range(0, phaseOne).Where(i => include[i]).Average(i => x[i]);
        var a = o.ProbabilityLimitTail;
        double Quantile(double q) => geometric
            ? Math.Max(0, Math.Log(1 - q) / Math.Log(1 - 1 / (mean + 1)) - 1)
            : -mean * Math.Log(1 - q);
        double lcl = Quantile(a), center = Quantile(0.5), ucl = Quantile(1 - a);
        var tests = o.Tests with { Trend = false, Alternating = false, ZoneA = false, ZoneB = false, Stratification = false, Mixture = false };
        var kind = geometric ? ChartKind.G : ChartKind.T;
        var points = new List<ChartPoint>();
        var signals = SpecialCauseDetector.Detect(x, Enumerable.Repeat(center, x.Length).ToList(), Enumerable.Repeat(lcl, x.Length).ToList(),
            Enumerable.Repeat(ucl, x.Length).ToList(), Enumerable.Repeat(0.0, x.Length).ToList(), tests);
        for (var i = 0; i < x.Length; i++)
            points.Add(new ChartPoint(i + 1, data[i].Label, i < phaseOne, 1, x[i], center, lcl, ucl, signals[i]));
        return new ControlChart(kind, "none", center, mean, points, null);
    }

    private static double Count(Subgroup s) => s.Values.Count == 1 && s.Values[0] >= 0
        ? s.Values[0]
        : throw new ArgumentException($"subgroup '{s.Label}' needs exactly one non-negative count");

    /// <summary>Points with centre ± k·se, limits truncated to [lower, upper(i)], and the signals of the tests.</summary>
    private static List<ChartPoint> Build(IReadOnlyList<Subgroup> data, int phaseOne, double[] values,
        Func<int, double> center, Func<int, double> se, double k, SpecialCauseTests tests, double lowerBound, Func<int, double> upperBound)
    {
        var count = values.Length;
        var centers = new double[count];
        var lcls = new double[count];
        var ucls = new double[count];
        var sigmas = new double[count];
        for (var i = 0; i < count; i++)
        {
            centers[i] = center(i);
            sigmas[i] = se(i);
            lcls[i] = Math.Max(lowerBound, centers[i] - k * sigmas[i]);
            ucls[i] = Math.Min(upperBound(i), centers[i] + k * sigmas[i]);
        }
        var signals = SpecialCauseDetector.Detect(values, centers, lcls, ucls, sigmas, tests);
        var points = new List<ChartPoint>(count);
        for (var i = 0; i < count; i++)
            points.Add(new ChartPoint(i + 1, data[i].Label, i < phaseOne, data[i].Values.Count == 1 ? data[i].Size : data[i].Values.Count,
                values[i], centers[i], lcls[i], ucls[i], signals[i]));
        return points;
    }

    /// <summary>Dispersion charts are skewed: only the limit and run tests are meaningful on them.</summary>
    private static SpecialCauseTests DispersionTests(SpecialCauseTests tests) =>
        tests with { Trend = false, Alternating = false, ZoneA = false, ZoneB = false, Stratification = false, Mixture = false };

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
