using System.CommandLine;
using System.Globalization;
using Analytics.Application.Spc;
using Analytics.Application.WhatIf;
using Analytics.Core.Spc;
using Analytics.Storage.Spc;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics spc</c>: a control chart of a CSV column (<c>--csv</c>, as quality engineers chart any data in
/// Minitab) or of an approval metric from the store (<c>--metric</c>), with tests for special causes and capability.
/// </summary>
internal static class SpcCommand
{
    public const string Name = "spc";

    public const string Description = "A control chart of any CSV column (--csv) or of an approval metric from the store (--metric), with special-cause tests and capability.";

    public static Command Create(CliContext context)
    {
        var chart = new Option<string>("--chart") { Description = $"The chart (required): {ChartKinds.Names}.", HelpName = "KIND" };
        var csv = Options.Text("--csv", "Chart a column of this CSV file (no store needed).", "FILE");
        var value = Options.Text("--value", "With --csv: the column charted.", "COL");
        var subgroup = Options.Text("--subgroup", "With --csv: the column grouping rows into subgroups. With --metric: day, week or order (default: week; order for imr, g and t).", "COL|day|week|order");
        var size = Options.Text("--size", "With --csv: the column of units inspected per subgroup (p, np, u, laney-p charts).", "COL");
        var metric = Options.Text("--metric", "Chart an approval metric from the store: node-latency, cycle-time or review-ratio.", "METRIC");
        var node = Options.Text("--node", "The node of node-latency or review-ratio: an activity, a LIKE pattern with %, or several separated by | (default for review-ratio: the profile's review node).", "NAME");
        var baseline = Options.Text("--baseline", "Phase I: the periods starting in FROM..TO (later ones are Phase II).", "FROM..TO");
        var phase1 = Options.OptionalInt("--phase1", "Phase I: the first N subgroups (default: all).", 1, int.MaxValue);
        var transform = Options.Choice("--transform", "Transform values before charting: none, log or boxcox (λ by maximum likelihood; limits are given back in the data's units too).", "none", "none", "log", "boxcox");
        var boxcoxLambda = Options.Number("--boxcox-lambda", "A fixed Box-Cox λ instead of the maximum-likelihood one.", "L");
        var roundLambda = Options.Flag("--round-lambda", "Round the Box-Cox λ to the nearest half (Minitab's habit).");
        var lsl = Options.Number("--lsl", "Lower specification limit, for capability (Cp, Cpk, Pp, Ppk, Cpm, PPM).", "X");
        var usl = Options.Number("--usl", "Upper specification limit, for capability; for g and t charts of latencies the SLA in hours.", "Y");
        var target = Options.Number("--target", "Target value, for Cpm.", "T");
        var lambda = Options.Number("--lambda", "EWMA smoothing weight (default 0.2).", "L");
        var h = Options.Number("--h", "CUSUM decision interval in σ (default 4).", "H");
        var k = Options.Number("--k", "CUSUM allowance in σ (default 0.5).", "K");
        var runLength = Options.Int("--run-length", "Points in a row on one side of the centre line that signal (test 2).", 9, 2, 100);
        var tests = Options.Text("--tests", "The Nelson/Western Electric tests to apply, e.g. 1,2,5 (default: Minitab's: all eight).", "1,2,…");
        var excludeSignalled = Options.Flag("--exclude-signalled", "Re-estimate Phase I without its points beyond the limits.");
        var picture = Options.Text("--out", "Also draw the chart as the weekly report does, into this SVG file (and its MR, R or S half into FILE-mr.svg, -r.svg or -s.svg).", "FILE.svg");
        var filter = new MiningOptions();
        var command = new Command(Name, Description)
        {
            chart, csv, value, subgroup, size, metric, node, baseline, phase1, transform, boxcoxLambda, roundLambda, lsl, usl, target, lambda, h, k, runLength, tests, excludeSignalled, picture,
        };
        filter.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(chart) is null)
                return Usage(context, "spc draws one control chart: name it with --chart KIND (" + ChartKinds.Names + "). To start:\n"
                    + "  analytics spc --chart imr --metric cycle-time                          end-to-end business hours per order\n"
                    + "  analytics spc --chart xbar-s --metric node-latency --node NODE         waiting before a node (an activity), weekly\n"
                    + "  analytics spc --chart laney-p --metric review-ratio                    the share of orders sent to review\n"
                    + "  analytics spc --chart imr --csv FILE --value COL                       any column of a CSV file\n"
                    + "see 'analytics spc --help' for every option");
            if (!ChartKinds.TryParse(parse.GetValue(chart)!, out var kind))
                return Usage(context, $"--chart: unknown chart '{parse.GetValue(chart)}' ({ChartKinds.Names})");
            ChartOptions options;
            try
            {
                options = ChartOptionsOf(parse, phase1, transform, boxcoxLambda, roundLambda, lambda, h, k, runLength, tests, excludeSignalled);
            }
            catch (FormatException ex)
            {
                return Usage(context, ex.Message);
            }
            var capability = parse.GetValue(lsl) is null && parse.GetValue(usl) is null ? null : new CapabilityRequest(parse.GetValue(lsl), parse.GetValue(usl), parse.GetValue(target));
            if (parse.GetValue(csv) is { } path)
            {
                if (parse.GetValue(value) is not { } column)
                    return Usage(context, "spc --csv needs --value COL, the column to chart");
                var answer = await SpcService.ChartCsvAsync(new CsvChartRequest(path, column, parse.GetValue(subgroup), parse.GetValue(size), kind, options, capability), ct);
                return Draw(context, parse.GetValue(picture), answer, column, context.Report(parse, answer, a => Print(context, a), Json));
            }
            if (parse.GetValue(metric) is not { } metricName)
                return Usage(context, "spc needs what to chart: --csv FILE --value COL (any data), or --metric node-latency|cycle-time|review-ratio (from the store); see 'analytics spc --help'");
            var (mining, problem) = filter.Read(parse);
            if (mining is null)
                return Usage(context, problem!);
            MetricChartRequest request;
            try
            {
                request = new MetricChartRequest
                {
                    Metric = metricName,
                    Node = parse.GetValue(node),
                    Chart = kind,
                    Period = parse.GetValue(subgroup) switch
                    {
                        null => kind is ChartKind.IndividualsMovingRange or ChartKind.G or ChartKind.T ? PeriodKind.None : PeriodKind.Week,
                        "week" => PeriodKind.Week,
                        "day" => PeriodKind.Day,
                        "order" or "none" => PeriodKind.None,
                        var s => throw new FormatException($"--subgroup: '{s}' (day, week or order)"),
                    },
                    Options = options,
                    Filter = new Core.Mining.MiningFilter
                    {
                        FromUtc = mining.FromUtc, ToUtc = mining.ToUtc, Activities = mining.Activities,
                        CaseAttributes = mining.Where.Select(w => WhatIfRequest.Condition(w, "--where")).ToList(),
                    },
                    Baseline = parse.GetValue(baseline) is { } b ? Window(b) : null,
                    SlaHours = parse.GetValue(usl),
                };
            }
            catch (FormatException ex)
            {
                return Usage(context, ex.Message);
            }
            using var store = context.Store(parse);
            var result = await new SpcService(store, context.Time).ChartMetricAsync(new MetricRequest(request, mining.Calendar, mining.NoCalendar, mining.IncludeSide, capability), ct);
            var axis = metricName switch
            {
                "review-ratio" => "share of cases (0–1)",
                _ => result.Value?.Calendar is { } c ? $"business hours ({c})" : "hours",
            };
            return Draw(context, parse.GetValue(picture), result, axis, context.Report(parse, result, a => Print(context, a), Json));
        });
        return command;
    }

    /// <summary>With --out, writes the chart's pictures after the numbers are printed; a file that cannot be written fails the command.</summary>
    private static int Draw(CliContext context, string? path, Application.Result<ChartAnswer> result, string axis, int code)
    {
        if (path is null || code != ExitCodes.Ok || result.Value is not { } answer)
            return code;
        var (chart, dispersion) = Reports.ControlChartPictures.Svg(answer.Chart, axis);
        try
        {
            File.WriteAllText(path, chart);
            context.Error.WriteLine($"chart: {Path.GetFullPath(path)}");
            if (dispersion is not null && answer.Chart.Dispersion is { } d)
            {
                var second = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $"{Path.GetFileNameWithoutExtension(path)}-{d.Name}{Path.GetExtension(path)}");
                File.WriteAllText(second, dispersion);
                context.Error.WriteLine($"chart: {second}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"analytics: spc --out {path}: {ex.Message} (choose a folder you can write to)");
            return ExitCodes.Failed;
        }
        return ExitCodes.Ok;
    }

    private static int Usage(CliContext context, string message)
    {
        context.Error.WriteLine($"analytics: {message}");
        return ExitCodes.Usage;
    }

    private static (DateTime, DateTime) Window(string text)
    {
        var (from, to) = WhatIfRequest.Window(text, "baseline");
        return from is { } f && to is { } t ? (f, t) : throw new FormatException($"--baseline: '{text}' needs both ends, FROM..TO (e.g. 2018-01-01..2018-07-01)");
    }

    private static ChartOptions ChartOptionsOf(ParseResult parse, Option<int?> phase1, Option<string> transform, Option<double?> boxcoxLambda, Option<bool> roundLambda,
        Option<double?> lambda, Option<double?> h, Option<double?> k, Option<int> runLength, Option<string?> tests, Option<bool> excludeSignalled)
    {
        var enabled = SpecialCauseTests.Minitab with { RunLength = parse.GetValue(runLength) };
        if (parse.GetValue(tests) is { } list)
        {
            var on = list.Split(',', StringSplitOptions.TrimEntries).Select(t => int.TryParse(t, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 8 ? n
                : throw new FormatException($"--tests: '{t}' is not a test number 1–8")).ToHashSet();
            enabled = enabled with
            {
                BeyondLimits = on.Contains(1), Run = on.Contains(2), Trend = on.Contains(3), Alternating = on.Contains(4),
                ZoneA = on.Contains(5), ZoneB = on.Contains(6), Stratification = on.Contains(7), Mixture = on.Contains(8),
            };
        }
        if (parse.GetValue(phase1) is { } n1 && n1 < 1)
            throw new FormatException("--phase1 must be at least 1");
        return new ChartOptions
        {
            PhaseOneCount = parse.GetValue(phase1),
            Tests = enabled,
            ExcludeSignalledPhaseOnePoints = parse.GetValue(excludeSignalled),
            Transform = parse.GetValue(transform) switch { "log" => TransformKind.Log, "boxcox" => TransformKind.BoxCox, _ => TransformKind.None },
            BoxCoxLambda = parse.GetValue(boxcoxLambda),
            RoundBoxCoxLambda = parse.GetValue(roundLambda),
            EwmaLambda = parse.GetValue(lambda) ?? 0.2,
            CusumH = parse.GetValue(h) ?? 4,
            CusumK = parse.GetValue(k) ?? 0.5,
        };
    }

    private static object Json(ChartAnswer a) => SpcJson.Chart(a.Chart, a.Capability, a.Tests, a.Calendar);

    private static void Print(CliContext context, ChartAnswer a) => SpcJson.Print(context.Out, a.Chart, a.Capability, a.Tests, a.Calendar);
}
