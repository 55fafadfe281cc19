using Analytics.Application.Profiles;
using Analytics.Core.Spc;
using Analytics.Storage;
using Analytics.Storage.Mining;
using Analytics.Storage.Spc;
using Analytics.Storage.Tables;

namespace Analytics.Application.Spc;

/// <summary>Control charts of any CSV column or of an approval metric, and the SPC monitor over the profile's charts.</summary>
public sealed class SpcService(IStoreAccess store, TimeProvider time)
{
    /// <summary>A chart of a CSV column (as quality engineers chart any data in Minitab); needs no store.</summary>
    public static Task<Result<ChartAnswer>> ChartCsvAsync(CsvChartRequest request, CancellationToken cancellationToken) => UseCase.RunAsync(() =>
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return Answer(request.Chart, FromCsv(request), request.Options, request.Capability);
    });

    /// <summary>A chart of an approval metric from the store; business time on the profile's calendar unless the request names another.</summary>
    public Task<Result<ChartAnswer>> ChartMetricAsync(MetricRequest request, CancellationToken cancellationToken) => store.RunAsync(async s =>
    {
        var profile = ProfileService.Current(s);
        return await UseCase.RunAsync(() =>
        {
            var chartRequest = request.Chart with
            {
                // Business time on the accepted profile's calendar; without an accepted profile, wall clock unless asked.
                Calendar = request.NoCalendar ? null : request.Calendar is not null || profile.Accepted ? Calendars.OrProfile(request.Calendar, profile) : null,
                Filter = request.Chart.Filter with { ExcludeActivities = request.IncludeSide ? [] : profile.Profile.SideActivities },
                Node = request.Chart.Node ?? (request.Chart.Metric == "review-ratio" ? profile.ReviewPattern : null),
            };
            if (chartRequest.Filter.CaseAttributes.Count > 0)
                Mining.MiningService.CheckConditions(chartRequest.Filter.CaseAttributes, new ProcessMiner(s), "--where");
            if (chartRequest.Metric == "review-ratio" && chartRequest.Node is null)
                throw RequestException.Invalid("review-ratio needs the review node: give --node, or set review in the process profile");
            IReadOnlyList<Subgroup> subgroups;
            ChartOptions options;
            try
            {
                var (groups, phaseOne) = MetricCharts.Subgroups(new ProcessMiner(s), chartRequest);
                subgroups = groups;
                options = chartRequest.Options with { PhaseOneCount = phaseOne };
            }
            catch (ArgumentException ex)
            {
                throw RequestException.Invalid("spc: " + ex.Message);
            }
            if (subgroups.Count == 0)
                throw RequestException.Invalid($"spc: no data for {chartRequest.Metric}{(chartRequest.Node is null ? "" : " at " + chartRequest.Node)} in this window");
            return Answer(chartRequest.Chart, subgroups, options, request.Capability) with { Calendar = chartRequest.Calendar?.Name };
        }, profile.Notes);
    }, cancellationToken);

    /// <summary>Recomputes the profile's monitored charts and records new signals.</summary>
    public Task<Result<MonitorRun>> MonitorAsync(CancellationToken cancellationToken) => store.RunAsync(async s =>
    {
        var profile = ProfileService.Current(s);
        return await UseCase.RunAsync(() => Monitor(s, profile, cancellationToken), profile.Notes);
    }, cancellationToken);

    /// <summary>The signals the monitor has recorded, the latest points first.</summary>
    /// <param name="limit">At most this many (1–100,000).</param>
    /// <param name="chartKey">Only this monitored chart, or null for all.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public Task<Result<RecordedSignals>> SignalsAsync(int limit, string? chartKey, CancellationToken cancellationToken) => UseCase.RunAsync(() => store.RunAsync(s =>
    {
        if (limit is < 1 or > 100_000)
            throw RequestException.Invalid($"--top {limit}: give 1 to 100,000");
        var monitor = new Storage.Spc.SpcMonitor(s, time);
        return new RecordedSignals(monitor.RecordedSignals(), monitor.Recorded(limit, chartKey));
    }, cancellationToken));

    /// <summary>The monitor with the store held by the caller (the worker after an ingest).</summary>
    internal MonitorRun Monitor(EventStore s, ActiveProfile profile, CancellationToken cancellationToken)
    {
        var monitor = new SpcMonitor(s, time);
        var charts = profile.Profile.Monitor.Select(c => c with
        {
            Calendar = string.IsNullOrEmpty(c.Calendar) ? null : c.Calendar,
        }).ToList();
        var (signals, skipped) = monitor.Run(charts, profile.Calendar, profile.Profile.SideActivities, name => Calendars.Resolve(name), cancellationToken);
        return new MonitorRun(charts.Count, signals, skipped, monitor.RecordedSignals());
    }

    private static ChartAnswer Answer(ChartKind kind, IReadOnlyList<Subgroup> subgroups, ChartOptions options, CapabilityRequest? capability)
    {
        ControlChart chart;
        try
        {
            chart = ControlCharts.Compute(kind, subgroups, options);
        }
        catch (ArgumentException ex)
        {
            throw RequestException.Invalid("spc: " + ex.Message);
        }
        return new ChartAnswer(chart, capability is null ? null : CapabilityOf(capability, chart), options.Tests, null);
    }

    private static List<Subgroup> FromCsv(CsvChartRequest request)
    {
        var columns = new List<string> { request.Value };
        if (request.SubgroupColumn is not null) columns.Add(request.SubgroupColumn);
        if (request.SizeColumn is not null) columns.Add(request.SizeColumn);
        try
        {
            var table = CsvColumns.Read(request.Path, columns.Distinct().ToList());
            var values = CsvColumns.Numbers(request.Path, request.Value, table[request.Value]);
            var sizes = request.SizeColumn is null ? null : CsvColumns.Numbers(request.Path, request.SizeColumn, table[request.SizeColumn]);
            if (ChartKinds.IsAttribute(request.Chart) && request.Chart != ChartKind.C && sizes is null)
                throw RequestException.Invalid($"a {ChartKinds.Name(request.Chart)} chart needs --size COL (units inspected per subgroup)");
            if (request.SubgroupColumn is not { } subgroup)
                return values.Select((v, i) => new Subgroup((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), [v], sizes?[i] ?? 1)).ToList();
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
            throw RequestException.Invalid(ex.Message);
        }
    }

    private static Capability CapabilityOf(CapabilityRequest c, ControlChart chart)
    {
        if (chart.Kind is not (ChartKind.XbarR or ChartKind.XbarS or ChartKind.IndividualsMovingRange))
            throw RequestException.Invalid("capability (--lsl/--usl) needs a variables chart: imr, xbar-r or xbar-s");
        // Non-normal capability: the specification limits go through the same transform as the data.
        var lambda = chart.Transform == "none" ? (double?)null : chart.Transform == "log" ? 0 : double.Parse(chart.Transform[7..^1], System.Globalization.CultureInfo.InvariantCulture);
        double? Scale(double? x) => x is { } v && lambda is { } l ? BoxCox.Apply(v, l) : x;
        var mean = chart.Kind == ChartKind.IndividualsMovingRange ? chart.PhaseOneObservations.Average() : chart.Center;
        try
        {
            return Capability.Compute(chart.PhaseOneObservations, mean, chart.Sigma, Scale(c.Lsl), Scale(c.Usl), Scale(c.Target));
        }
        catch (ArgumentException ex)
        {
            throw RequestException.Invalid("capability: " + ex.Message);
        }
    }
}

/// <summary>A chart of a CSV column.</summary>
/// <param name="Path">The CSV file.</param>
/// <param name="Value">The column charted.</param>
/// <param name="SubgroupColumn">The column that groups rows into subgroups, or null for individuals.</param>
/// <param name="SizeColumn">The column of units inspected per subgroup (attribute charts).</param>
/// <param name="Chart">The chart.</param>
/// <param name="Options">Phase I, tests, transform, chart parameters.</param>
/// <param name="Capability">Specification limits, or null.</param>
public sealed record CsvChartRequest(string Path, string Value, string? SubgroupColumn, string? SizeColumn, ChartKind Chart, ChartOptions Options, CapabilityRequest? Capability);

/// <summary>A chart of an approval metric.</summary>
/// <param name="Chart">What to chart (its calendar is replaced by <paramref name="Calendar"/> or the profile's).</param>
/// <param name="Calendar">A calendar name or file overriding the profile's, or null.</param>
/// <param name="NoCalendar">Chart wall-clock time even when the profile has a calendar.</param>
/// <param name="IncludeSide">Keep the profile's side activities.</param>
/// <param name="Capability">Specification limits, or null.</param>
public sealed record MetricRequest(MetricChartRequest Chart, string? Calendar, bool NoCalendar, bool IncludeSide, CapabilityRequest? Capability);

/// <summary>Specification limits for capability.</summary>
/// <param name="Lsl">Lower limit.</param>
/// <param name="Usl">Upper limit.</param>
/// <param name="Target">Target.</param>
public sealed record CapabilityRequest(double? Lsl, double? Usl, double? Target);

/// <summary>A chart with its capability.</summary>
/// <param name="Chart">The chart.</param>
/// <param name="Capability">Capability, when limits were given.</param>
/// <param name="Tests">The special-cause tests applied (for describing signals).</param>
/// <param name="Calendar">The business calendar of a latency, or null.</param>
public sealed record ChartAnswer(ControlChart Chart, Capability? Capability, SpecialCauseTests Tests, string? Calendar);

/// <summary>One run of the SPC monitor.</summary>
/// <param name="Charts">Monitored chart definitions.</param>
/// <param name="NewSignals">Signals recorded now.</param>
/// <param name="Skipped">Charts that could not be computed, with the reason.</param>
/// <param name="RecordedSignals">Signals recorded in all.</param>
public sealed record MonitorRun(int Charts, IReadOnlyList<SpcMonitor.NewSignal> NewSignals, IReadOnlyList<string> Skipped, long RecordedSignals);

/// <summary>Recorded SPC signals.</summary>
/// <param name="Total">Signals recorded in all.</param>
/// <param name="Signals">The ones listed, the latest points first.</param>
public sealed record RecordedSignals(long Total, IReadOnlyList<Storage.Spc.RecordedSignal> Signals);
