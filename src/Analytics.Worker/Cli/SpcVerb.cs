using System.Globalization;
using Analytics.Core.Spc;
using Analytics.Storage.Tables;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics spc</c>: a control chart of a CSV column (<c>--csv</c>, as quality engineers chart any data in
/// Minitab) or of an approval metric from the store (<c>--metric</c>), with tests for special causes and capability.
/// </summary>
internal static class SpcVerb
{
    public static int Run(CommandLine line, VerbContext context)
    {
        line.Allow("csv", "value", "subgroup", "size", "chart", "phase1", "lsl", "usl", "target", "lambda", "h", "k", "transform", "boxcox-lambda",
            "round-lambda", "run-length", "tests", "exclude-signalled", "metric", "node", "calendar", "from", "to", "where", "baseline", "review-node");
        if (!ChartKinds.TryParse(line.Required("chart"), out var kind))
            throw new UsageException($"--chart: unknown chart '{line.Option("chart")}' ({ChartKinds.Names})");
        var options = Options(line);
        IReadOnlyList<Subgroup> subgroups;
        if (line.Option("csv") is { } csv)
            subgroups = FromCsv(csv, line, kind);
        else if (line.Option("metric") is not null)
            (subgroups, options) = SpcMetrics.Subgroups(line, context, kind, options);
        else
            throw new UsageException("spc needs --csv FILE --value COL or --metric node-latency|cycle-time|review-ratio");

        ControlChart chart;
        try
        {
            chart = ControlCharts.Compute(kind, subgroups, options);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("spc: " + ex.Message);
        }
        var capability = CapabilityOf(line, chart);
        if (line.Json)
            JsonOutput.Write(SpcJson.Chart(chart, capability, options.Tests));
        else
            SpcJson.Print(chart, capability, options.Tests);
        return ExitCodes.Ok;
    }

    internal static ChartOptions Options(CommandLine line)
    {
        var tests = SpecialCauseTests.Minitab with { RunLength = line.Int("run-length", 9) };
        if (line.Option("tests") is { } enabled)
        {
            var on = enabled.Split(',', StringSplitOptions.TrimEntries).Select(t => int.TryParse(t, out var n) && n is >= 1 and <= 8 ? n : throw new UsageException($"--tests: '{t}' is not a test number 1–8")).ToHashSet();
            tests = tests with
            {
                BeyondLimits = on.Contains(1), Run = on.Contains(2), Trend = on.Contains(3), Alternating = on.Contains(4),
                ZoneA = on.Contains(5), ZoneB = on.Contains(6), Stratification = on.Contains(7), Mixture = on.Contains(8),
            };
        }
        return new ChartOptions
        {
            PhaseOneCount = line.Option("phase1") is null ? null : line.Int("phase1", 0),
            Tests = tests,
            ExcludeSignalledPhaseOnePoints = line.Has("exclude-signalled"),
            Transform = line.Option("transform") switch
            {
                null or "none" => TransformKind.None,
                "log" => TransformKind.Log,
                "boxcox" => TransformKind.BoxCox,
                var t => throw new UsageException($"--transform: '{t}' (none, log, boxcox)"),
            },
            BoxCoxLambda = Number(line, "boxcox-lambda"),
            RoundBoxCoxLambda = line.Has("round-lambda"),
            EwmaLambda = Number(line, "lambda") ?? 0.2,
            CusumH = Number(line, "h") ?? 4,
            CusumK = Number(line, "k") ?? 0.5,
        };
    }

    internal static double? Number(CommandLine line, string name) =>
        line.Option(name) is not { } v ? null
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
        : throw new UsageException($"--{name} must be a number, not '{v}'");

    private static List<Subgroup> FromCsv(string path, CommandLine line, ChartKind kind)
    {
        var value = line.Required("value");
        var columns = new List<string> { value };
        var subgroup = line.Option("subgroup");
        var size = line.Option("size");
        if (subgroup is not null) columns.Add(subgroup);
        if (size is not null) columns.Add(size);
        try
        {
            var table = CsvColumns.Read(path, columns.Distinct().ToList());
            var values = CsvColumns.Numbers(path, value, table[value]);
            var sizes = size is null ? null : CsvColumns.Numbers(path, size, table[size]);
            if (ChartKinds.IsAttribute(kind) && kind != ChartKind.C && sizes is null)
                throw new UsageException($"a {ChartKinds.Name(kind)} chart needs --size COL (units inspected per subgroup)");
            if (subgroup is null)
                return values.Select((v, i) => new Subgroup((i + 1).ToString(CultureInfo.InvariantCulture), [v], sizes?[i] ?? 1)).ToList();
            // Subgroups in order of first appearance; rows of one subgroup need not be adjacent.
            var order = new List<string>();
            var groups = new Dictionary<string, (List<double> Values, double Size)>(StringComparer.Ordinal);
            for (var i = 0; i < values.Length; i++)
            {
                var key = table[subgroup][i] ?? "";
                if (!groups.TryGetValue(key, out var g))
                {
                    order.Add(key);
                    groups[key] = g = ([], sizes?[i] ?? 1);
                }
                g.Values.Add(values[i]);
            }
            return order.Select(k => new Subgroup(k, groups[k].Values, groups[k].Size)).ToList();
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static Capability? CapabilityOf(CommandLine line, ControlChart chart)
    {
        var lsl = Number(line, "lsl");
        var usl = Number(line, "usl");
        if (lsl is null && usl is null)
            return null;
        if (chart.Kind is not (ChartKind.XbarR or ChartKind.XbarS or ChartKind.IndividualsMovingRange))
            throw new UsageException("capability (--lsl/--usl) needs a variables chart: imr, xbar-r or xbar-s");
        // Non-normal capability: the specification limits go through the same transform as the data.
        var lambda = chart.Transform == "none" ? (double?)null : chart.Transform == "log" ? 0 : double.Parse(chart.Transform[7..^1], CultureInfo.InvariantCulture);
        double? Scale(double? x) => x is { } v && lambda is { } l ? BoxCox.Apply(v, l) : x;
        var mean = chart.Kind == ChartKind.IndividualsMovingRange ? chart.PhaseOneObservations.Average() : chart.Center;
        try
        {
            return Capability.Compute(chart.PhaseOneObservations, mean, chart.Sigma, Scale(lsl), Scale(usl), Scale(Number(line, "target")));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("capability: " + ex.Message);
        }
    }
}
