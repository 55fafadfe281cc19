using Analytics.Core.Calendars;
using Analytics.Core.Simulation;

namespace Analytics.Core.WhatIf;

/// <summary>
/// When cases arrive: a mean count per day by weekday (working days and days off on the calendar counted apart),
/// a seasonal index per calendar month, the current level, and the observed local times of day. A day's count is Poisson.
/// </summary>
public sealed class ArrivalModel
{
    private readonly double[] _workingMean = new double[7];
    private readonly double[] _monthFactor = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    private readonly double[] _workingTimes;
    private readonly double[] _offTimes;
    private readonly BusinessCalendar _calendar;

    private ArrivalModel(BusinessCalendar calendar, double[] workingTimes, double[] offTimes)
    {
        _calendar = calendar;
        _workingTimes = workingTimes;
        _offTimes = offTimes;
    }

    /// <summary>Mean cases per working day by weekday (Sunday first).</summary>
    public IReadOnlyList<double> WorkingDayMean => _workingMean;

    /// <summary>Mean cases per day off (weekend or holiday); days off are pooled, as there are few of each weekday.</summary>
    public double DayOffMean { get; private set; }

    /// <summary>Seasonal factor per month (January first); 1 for months not in the training window.</summary>
    public IReadOnlyList<double> MonthFactor => _monthFactor;

    /// <summary>Mean arrivals per day over the training window.</summary>
    public double MeanPerDay { get; private set; }

    /// <summary>Learns arrivals from case start instants over the window <c>[fromUtc, toUtc)</c>.</summary>
    public static ArrivalModel Fit(IReadOnlyList<DateTime> startsUtc, BusinessCalendar calendar, DateTime fromUtc, DateTime toUtc)
    {
        ArgumentNullException.ThrowIfNull(startsUtc);
        ArgumentNullException.ThrowIfNull(calendar);
        var zone = calendar.TimeZone;
        var firstDay = LocalDate(fromUtc, zone);
        var lastDay = LocalDate(toUtc.AddTicks(-1), zone);
        var counts = new Dictionary<DateOnly, int>();
        var working = new List<double>();
        var off = new List<double>();
        foreach (var s in startsUtc)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(s, zone);
            var day = DateOnly.FromDateTime(local);
            counts[day] = counts.GetValueOrDefault(day) + 1;
            (IsWorking(calendar, day) ? working : off).Add(local.TimeOfDay.TotalSeconds);
        }
        working.Sort();
        off.Sort();
        var model = new ArrivalModel(calendar, [.. working], [.. off]);
        var days = new List<DateOnly>();
        for (var d = firstDay; d <= lastDay; d = d.AddDays(1))
            days.Add(d);
        if (days.Count == 0)
            return model;
        model.MeanPerDay = startsUtc.Count / (double)days.Count;
        foreach (var dow in Enum.GetValues<DayOfWeek>())
        {
            var w = days.Where(d => d.DayOfWeek == dow && IsWorking(calendar, d)).ToList();
            model._workingMean[(int)dow] = w.Count == 0 ? 0 : w.Sum(d => counts.GetValueOrDefault(d)) / (double)w.Count;
        }
        var offDays = days.Where(d => !IsWorking(calendar, d)).ToList();
        model.DayOffMean = offDays.Count == 0 ? 0 : offDays.Sum(d => counts.GetValueOrDefault(d)) / (double)offDays.Count;
        model.FitSeasonAndLevel(days, counts);
        return model;
    }

    /// <summary>Level of arrivals at the end of the training window relative to the window's average (from its last 182 days, seasonality removed).</summary>
    public double RecentLevel { get; private set; } = 1;

    /// <summary>Relative standard error of <see cref="RecentLevel"/> (Poisson: 1 ÷ √arrivals counted).</summary>
    public double LevelRelativeError { get; private set; }

    /// <summary>Expected arrivals on a local date, before any scenario multiplier.</summary>
    public double Rate(DateOnly day) => BaseRate(day) * _monthFactor[day.Month - 1] * RecentLevel;

    /// <summary>
    /// Seasonal indices and the current level, the classic decomposition: each month's index is its arrivals over
    /// the weekday-expected arrivals, relative to the mean of its calendar year, averaged over the complete calendar
    /// years in the window (the twelve months before the window's end when none is complete; no seasonality for a
    /// window under a year). The level is that of the last 182 days, seasonality removed, so a log whose volume
    /// stepped up is simulated at its current volume, not its average.
    /// </summary>
    private void FitSeasonAndLevel(List<DateOnly> days, Dictionary<DateOnly, int> counts)
    {
        var months = days.GroupBy(d => new DateOnly(d.Year, d.Month, 1)).Select(g => (
            Start: g.Key,
            Complete: g.Count() >= 15, // a month half in the window still gives an unbiased ratio
            Ratio: g.Sum(BaseRate) is var e && e > 0 ? g.Sum(d => (double)counts.GetValueOrDefault(d)) / e : double.NaN)).Where(m => double.IsFinite(m.Ratio)).ToList();
        var years = months.Where(m => m.Complete).GroupBy(m => m.Start.Year).Where(y => y.Count() == 12).ToList();
        var blocks = years.Select(y => y.ToList()).ToList();
        if (blocks.Count == 0)
        {
            var lastTwelve = months.Where(m => m.Complete).TakeLast(12).ToList();
            if (lastTwelve.Count == 12)
                blocks.Add(lastTwelve);
        }
        var sums = new double[12];
        var n = new int[12];
        foreach (var block in blocks)
        {
            var mean = block.Average(m => m.Ratio);
            if (mean <= 0)
                continue;
            foreach (var m in block)
            {
                sums[m.Start.Month - 1] += m.Ratio / mean;
                n[m.Start.Month - 1]++;
            }
        }
        for (var m = 0; m < 12; m++)
            _monthFactor[m] = n[m] > 0 ? sums[m] / n[m] : 1;
        var recent = days.TakeLast(182).ToList();
        var expected = recent.Sum(d => BaseRate(d) * _monthFactor[d.Month - 1]);
        if (expected > 0)
        {
            var arrivals = recent.Sum(d => (double)counts.GetValueOrDefault(d));
            RecentLevel = arrivals / expected;
            LevelRelativeError = arrivals > 0 ? 1 / Math.Sqrt(arrivals) : 0;
        }
    }

    /// <summary>Draws the local time of day (seconds after midnight) of an arrival on the day.</summary>
    public double TimeOfDay(DateOnly day, Sampler sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        var times = IsWorking(_calendar, day) ? _workingTimes : _offTimes;
        if (times.Length == 0)
            times = _workingTimes.Length > 0 ? _workingTimes : _offTimes;
        return times.Length == 0 ? 43_200 : DurationDistribution.QuantileOf(times, sampler.Uniform());
    }

    private double BaseRate(DateOnly day) => IsWorking(_calendar, day) ? _workingMean[(int)day.DayOfWeek] : DayOffMean;

    private static bool IsWorking(BusinessCalendar calendar, DateOnly day) => calendar.PeriodsOn(day).Count > 0;

    internal static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone));
}
