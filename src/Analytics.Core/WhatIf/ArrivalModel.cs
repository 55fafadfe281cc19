using Analytics.Core.Calendars;
using Analytics.Core.Simulation;

namespace Analytics.Core.WhatIf;

/// <summary>
/// When cases arrive: a mean count per day by weekday (working days and days off on the calendar counted apart),
/// a factor per calendar month for seasonality, and the observed local times of day. A day's count is Poisson.
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
        // Seasonality: observed over expected (from the weekday means) per calendar month.
        var observed = new double[12];
        var expected = new double[12];
        foreach (var d in days)
        {
            observed[d.Month - 1] += counts.GetValueOrDefault(d);
            expected[d.Month - 1] += model.BaseRate(d);
        }
        for (var m = 0; m < 12; m++)
            if (expected[m] > 0)
                model._monthFactor[m] = observed[m] / expected[m];
        return model;
    }

    /// <summary>Expected arrivals on a local date, before any scenario multiplier.</summary>
    public double Rate(DateOnly day) => BaseRate(day) * _monthFactor[day.Month - 1];

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
