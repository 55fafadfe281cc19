using System.Globalization;
using Analytics.Application.Models;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Profiles;
using Analytics.Core.Spc;
using Analytics.Reports;
using Analytics.Storage;
using Analytics.Storage.Mining;

namespace Analytics.Application.Reports;

/// <summary>
/// Assembles the weekly report from the store and the process profile: indicators for the week and the one before,
/// nodes, cases, signals, control charts. Sections the profile does not support (review ratio without a review node,
/// SLA attainment without an SLA) are left out.
/// </summary>
public static class WeeklyReportBuilder
{
    /// <summary>Parses an ISO week (<c>2025-W10</c>) into its UTC bounds in the calendar's zone.</summary>
    /// <exception cref="FormatException">Not an ISO week.</exception>
    public static (DateTime FromUtc, DateTime ToUtc) Bounds(string week, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(week);
        var parts = week.Split("-W", 2);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            throw new FormatException($"'{week}' is not an ISO week (e.g. 2025-W10)");
        // Events before 1900 are refused at ingest, so no report can be of an earlier year.
        if (year is < 1900 or > 9998)
            throw new FormatException($"'{week}': the year must lie between 1900 and 9998");
        if (number < 1 || number > ISOWeek.GetWeeksInYear(year))
            throw new FormatException($"'{week}': {year} has weeks 1 to {ISOWeek.GetWeeksInYear(year)}");
        var monday = ISOWeek.ToDateTime(year, number, DayOfWeek.Monday);
        return (TimeZoneInfo.ConvertTimeToUtc(monday, zone), TimeZoneInfo.ConvertTimeToUtc(monday.AddDays(7), zone));
    }

    /// <summary>Builds the report.</summary>
    /// <param name="store">The event store.</param>
    /// <param name="week">ISO week.</param>
    /// <param name="profile">The process: title, calendar, side activities, review node and target, SLA, rejection pattern.</param>
    /// <param name="calendar">Business hours for latencies (the profile's, or an override).</param>
    /// <param name="slaHours">SLA in business hours for end-to-end time (the profile's, or an override); null for none.</param>
    /// <param name="policy">Approval policy checked on the week's completed cases; null leaves the section empty.</param>
    /// <param name="mapCoverage">Share of the week's completed cases whose paths the process map draws (most frequent first).</param>
    public static WeeklyReport Build(EventStore store, string week, ProcessProfile profile, BusinessCalendar calendar, double? slaHours, ApprovalPolicy? policy = null, double mapCoverage = 0.9)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(calendar);
        var (from, to) = Bounds(week, calendar.TimeZone);
        var miner = new ProcessMiner(store);
        var reviewPattern = profile.Review is { } review ? string.Join("|", review.Activities) : null;
        var side = profile.SideActivities;
        // One pass over the cases completed in the 26 weeks to this one feeds the indicators of the last eight weeks and
        // both control charts, so a card, a chart's point and a finding about the same week are the same number.
        var window = from.AddDays(-7 * 25);
        var weekEnds = Enumerable.Range(0, 8).Reverse().Select(k => to.AddDays(-7 * k)).ToList();
        var facts = miner.WeeklyFacts(window, to, calendar, reviewPattern, profile.RejectPattern, weekEnds, side);
        var trend = weekEnds.Select((end, i) => new TrendPoint(IsoWeek(end.AddDays(-7), calendar.TimeZone), Indicators(facts, i, end.AddDays(-7), end, slaHours, reviewPattern is not null, profile.Review?.Target)))
            .ToList();
        var current = trend[^1].Indicators;
        var previous = trend[^2].Indicators;
        var completed = new MiningFilter { EndedFromUtc = from, EndedToUtc = to, ExcludeActivities = side };
        var before = miner.Nodes(new MiningFilter { EndedFromUtc = from.AddDays(-7), EndedToUtc = from, ExcludeActivities = side }, calendar)
            .Where(n => n.BusinessWaiting is not null && n.Waiting.Count > 0)
            .ToDictionary(n => n.Node, n => (n.Waiting.Count, n.BusinessWaiting!.P90Seconds / 3600), StringComparer.Ordinal);
        var nodes = miner.Nodes(completed, calendar)
            .Where(n => n.BusinessWaiting is not null && n.Waiting.Count > 0)
            .Select(n => new NodeRow(n.Node, n.Waiting.Count, n.BusinessWaiting!.MedianSeconds / 3600, n.BusinessWaiting.P90Seconds / 3600, n.WaitingShare,
                before.TryGetValue(n.Node, out var b) ? b.Count : 0, before.TryGetValue(n.Node, out var b2) ? b2.Item2 : double.NaN)).ToList();
        var slowest = current.CasesOut == 0 ? [] : Slowest(miner, completed, calendar);
        var oldest = miner.OpenCases(to, 5).Select(c => new CaseRow(c.CaseId, (to - c.FirstUtc).TotalDays, c.LastActivity)).ToList();
        // The monitor's record for this week, on charts the report does not draw itself (its own charts carry their signals).
        var signals = miner.SignalsForPeriod(week)
            .Where(s => !(s.Metric is "cycle-time" or "review-ratio" && s.ChartKey.EndsWith('|')))
            .Select(s => new SignalRow(s.Metric, s.Node ?? "", s.Chart, s.Signal, s.Value)).ToList();
        var map = ProcessMap.OfTopVariants(miner.Traces(completed, CancellationToken.None), mapCoverage);
        var charts = new List<ChartSummary>();
        var zone = calendar.TimeZone;
        if (profile.Review is not null)
            AddChart(charts, "review-ratio", ChartKind.LaneyP, Periods.Proportions(facts.Completed.Select(c => (c.EndedUtc, c.VisitedReview)), PeriodKind.Week, zone), week, TransformKind.None);
        AddChart(charts, "cycle-time", ChartKind.IndividualsMovingRange, Periods.Values(facts.Completed.Select(c => (c.EndedUtc, c.BusinessSeconds / 3600)), PeriodKind.Week, zone, median: true), week, TransformKind.Log);
        var compliance = policy is null ? [] : new ConformanceChecker(store).Check(policy, completed)
            .Select(c => new ComplianceRow(c.Rule.Name, c.CasesChecked, c.Violations.Count, c.Violations.Take(5).ToList())).ToList();
        return new WeeklyReport(week, from, to, calendar.Name, current, previous, nodes, slowest, oldest, signals, trend, ProcessMapDot.Render(map), charts, compliance)
        {
            Title = profile.Name,
            Zone = calendar.TimeZone.Id,
            ReviewRole = profile.Review?.Role,
            ReviewTarget = profile.Review?.Target,
            SideActivities = side,
            Routing = profile.Review is null ? null : ModelHealth.Compute(store, 28, to),
            Map = new ProcessMapSummary(map.Cases, map.Variants, map.DrawnVariants == 0 ? map.Variants : map.DrawnVariants, map.DrawnCases, mapCoverage),
        };
    }

    private static void AddChart(List<ChartSummary> charts, string metric, ChartKind kind, List<Subgroup> subgroups, string week, TransformKind transform)
    {
        if (subgroups.Count < 4)
            return; // too few weeks for limits; the page says so
        ControlChart chart;
        var options = new ChartOptions { Transform = transform, PhaseOneCount = Math.Max(2, subgroups.Count / 2) };
        try
        {
            // The first half of the window is the baseline; the rest is monitored against it.
            chart = ControlCharts.Compute(kind, subgroups, options);
        }
        catch (ArgumentException) when (transform != TransformKind.None)
        {
            chart = ControlCharts.Compute(kind, subgroups, options with { Transform = TransformKind.None }); // a week whose median is 0 h: no log
        }
        var tests = options.Tests;
        ChartPointRow Row(ChartPoint p, bool original) => p.Original is { } o && original
            ? new ChartPointRow(p.Label, o.Value, o.Center, o.Lcl, o.Ucl, p.Signals, p.Signals.Select(s => Signals.Describe(s, tests)).ToList(), p.Size)
            : new ChartPointRow(p.Label, p.Value, p.Center, p.Lcl, p.Ucl, p.Signals, p.Signals.Select(s => Signals.Describe(s, tests)).ToList(), p.Size);
        charts.Add(new ChartSummary(metric, chart.Name, chart.Transform, chart.Points.Select(p => Row(p, true)).ToList(),
            chart.Dispersion?.Points.Select(p => Row(p, false)).ToList() ?? [], week));
    }

    private static string IsoWeek(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}");
    }

    private static List<CaseRow> Slowest(ProcessMiner miner, MiningFilter completed, BusinessCalendar calendar) =>
        miner.SlowestCases(completed, calendar, 5).Select(c => new CaseRow(c.CaseId, c.Seconds / 3600, c.LastActivity)).ToList();

    private static WeekIndicators Indicators(WeeklyCaseFacts facts, int index, DateTime from, DateTime to, double? slaHours, bool review, double? target)
    {
        var casesIn = facts.Starts.Count(t => t >= from && t < to);
        var completed = facts.Completed.Where(c => c.EndedUtc >= from && c.EndedUtc < to).ToList();
        var throughputs = completed.Select(c => c.BusinessSeconds / 3600).Order().ToList();
        var casesOut = throughputs.Count;
        var wipAges = facts.OpenAt[index].Select(t => (to - t).TotalDays).Order().ToList();
        return new WeekIndicators(
            casesIn, casesOut, wipAges.Count, DurationSummary.Quantile(wipAges, 0.5), DurationSummary.Quantile(wipAges, 0.9),
            DurationSummary.Quantile(throughputs, 0.5), DurationSummary.Quantile(throughputs, 0.9), slaHours,
            casesOut == 0 || slaHours is not { } sla ? double.NaN : throughputs.Count(h => h <= sla) / (double)casesOut,
            casesOut == 0 ? double.NaN : completed.Count(c => !c.Reworked && !c.Rejected) / (double)casesOut,
            casesOut == 0 ? double.NaN : completed.Count(c => c.Reworked) / (double)casesOut,
            casesOut == 0 || !review ? double.NaN : completed.Count(c => c.VisitedReview) / (double)casesOut, target);
    }

}
