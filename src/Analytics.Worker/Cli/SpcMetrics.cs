using Analytics.Core.Spc;
using Analytics.Storage.Mining;
using Analytics.Storage.Spc;

namespace Analytics.Worker.Cli;

/// <summary>Subgroups of approval metrics from the store for <c>analytics spc --metric</c>.</summary>
internal static class SpcMetrics
{
    public static (IReadOnlyList<Subgroup>, ChartOptions) Subgroups(CommandLine line, VerbContext context, ChartKind kind, ChartOptions options)
    {
        var request = Request(line, kind, options);
        using var store = context.OpenStore();
        try
        {
            var (subgroups, phaseOne) = MetricCharts.Subgroups(new ProcessMiner(store), request);
            if (subgroups.Count == 0)
                throw new UsageException($"spc: no data for {request.Metric}{(request.Node is null ? "" : " at " + request.Node)} in this window");
            return (subgroups, options with { PhaseOneCount = phaseOne });
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("spc: " + ex.Message);
        }
    }

    internal static MetricChartRequest Request(CommandLine line, ChartKind kind, ChartOptions options) => new()
    {
        Metric = line.Required("metric"),
        Node = line.Option("node") ?? line.Option("review-node"),
        Chart = kind,
        Period = line.Option("subgroup") switch
        {
            null => kind is ChartKind.IndividualsMovingRange or ChartKind.G or ChartKind.T ? PeriodKind.None : PeriodKind.Week,
            "week" => PeriodKind.Week,
            "day" => PeriodKind.Day,
            "order" or "none" => PeriodKind.None,
            var s => throw new UsageException($"--subgroup: '{s}' (day, week or order)"),
        },
        Options = options,
        Calendar = line.Option("calendar") is { } c ? CalendarOption.Resolve(c) : null,
        Filter = MineVerb.Filter(line),
        Baseline = line.Option("baseline") is { } b ? Baseline(b) : null,
        SlaHours = SpcVerb.Number(line, "usl"),
    };

    private static (DateTime, DateTime) Baseline(string text)
    {
        var parts = text.Split("..", 2);
        if (parts.Length != 2)
            throw new UsageException($"--baseline: '{text}' is not FROM..TO (e.g. 2018-01-01..2018-07-01)");
        return (MineVerb.Instant(parts[0], "baseline")!.Value, MineVerb.Instant(parts[1], "baseline")!.Value);
    }
}
