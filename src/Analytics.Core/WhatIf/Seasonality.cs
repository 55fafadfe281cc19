using System.Globalization;

namespace Analytics.Core.WhatIf;

/// <summary>
/// The time of year of the delay nodes: a factor per calendar month on their response times, and the level of each
/// year in the training window, fitted together (response time ∝ year level × month factor) so that a slower or
/// faster year is not taken for a season. A month or year whose figure lies within its noise of 1 keeps 1.
/// </summary>
/// <param name="Factors">Twelve month factors, January first (1 where a month does not depart beyond its noise).</param>
/// <param name="Levels">Each training year's level relative to the last year's (1 where within its noise).</param>
/// <param name="Applies">Whether any month departs from 1 (otherwise delays are simulated as observed).</param>
/// <param name="Evidence">What was seen, in words.</param>
public sealed record Seasonality(IReadOnlyList<double> Factors, IReadOnlyDictionary<int, double> Levels, bool Applies, string Evidence)
{
    /// <summary>A month's or year's figure is taken from this many observations (30).</summary>
    public const int MinObservations = 30;

    /// <summary>A figure departs from 1 when it is this many standard errors away (3).</summary>
    public const double StandardErrors = 3;

    /// <summary>A month counts only if its factor departs from 1 by at least this much (0.10): a smaller season changes little and is easily a calendar artefact.</summary>
    public const double MinEffect = 0.10;

    /// <summary>No time of year, for <paramref name="reason"/>.</summary>
    public static Seasonality None(string reason) => new([.. Enumerable.Repeat(1.0, 12)], new Dictionary<int, double>(), false, reason);

    /// <summary>The period (year × 12 + month − 1) in which <paramref name="utc"/> falls.</summary>
    public static int Period(DateTime utc) => utc.Year * 12 + utc.Month - 1;

    /// <summary>The factor of the month in which <paramref name="utc"/> falls.</summary>
    public double At(DateTime utc) => Factors[utc.Month - 1];

    /// <summary>How far an observation of <paramref name="period"/> stands from a neutral month (its month's factor).</summary>
    public double Adjustment(int period) => Factors[period % 12];

    /// <summary>
    /// Month factors and year levels from each delay node's response times and the periods they began in: each
    /// observation relative to its node's mean; levels and factors fitted by alternating means. The training window
    /// must span a year, and a month counts only if seen in two years.
    /// </summary>
    public static Seasonality Discover(IReadOnlyList<(IReadOnlyList<double> Seconds, IReadOnlyList<int> Periods)> nodes, TimeSpan trainingSpan)
    {
        if (trainingSpan.TotalDays < 360)
            return None(string.Create(CultureInfo.InvariantCulture, $"the training window spans {trainingSpan.TotalDays:0} days; the time of year needs a whole year"));
        var ratios = new List<(double R, int Month, int Year)>();
        foreach (var (seconds, periods) in nodes)
        {
            if (seconds.Count < MinObservations)
                continue;
            var mean = seconds.Average();
            if (mean <= 0)
                continue;
            for (var k = 0; k < seconds.Count; k++)
                ratios.Add((seconds[k] / mean, periods[k] % 12, periods[k] / 12));
        }
        if (ratios.Count == 0)
            return None("no delay node with enough observations");
        var years = ratios.Select(r => r.Year).Distinct().Order().ToArray();
        var level = years.ToDictionary(y => y, _ => 1.0);
        var factor = Enumerable.Repeat(1.0, 12).ToArray();
        var monthCount = new int[12];
        foreach (var r in ratios)
            monthCount[r.Month]++;
        var yearCount = ratios.GroupBy(r => r.Year).ToDictionary(g => g.Key, g => g.Count());
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var sum = new double[12];
            foreach (var r in ratios)
                sum[r.Month] += r.R / level[r.Year];
            for (var m = 0; m < 12; m++)
                factor[m] = monthCount[m] >= MinObservations ? sum[m] / monthCount[m] : 1;
            var byYear = years.ToDictionary(y => y, _ => 0.0);
            foreach (var r in ratios)
                byYear[r.Year] += r.R / factor[r.Month];
            foreach (var y in years)
                level[y] = byYear[y] / yearCount[y];
        }
        // Anchored at the last year that holds a tenth of the observations (a year seen only in the late events of
        // long cases is no level) and the typical month.
        var anchor = years.Last(y => yearCount[y] >= ratios.Count / 10);
        var last = level[anchor];
        // The typical month is the median of the months observed: a peak season then stands out from 1 instead of
        // pulling every other month below it.
        var observed = Enumerable.Range(0, 12).Where(m => monthCount[m] >= MinObservations).Select(m => factor[m]).Order().ToArray();
        var scale = observed.Length == 0 ? 1 : observed.Length % 2 == 1 ? observed[observed.Length / 2] : (observed[observed.Length / 2 - 1] + observed[observed.Length / 2]) / 2;
        for (var m = 0; m < 12; m++)
            factor[m] /= scale;
        foreach (var y in years)
            level[y] = level[y] * scale / last;

        // Noise: the spread of each month's (year's) adjusted ratios around its figure.
        var seen = new List<string>();
        var months = new double[12];
        for (var m = 0; m < 12; m++)
        {
            months[m] = 1;
            List<double> own = [.. ratios.Where(r => r.Month == m).Select(r => r.R / (level[r.Year] * last))];
            // A season repeats: a month seen in one year only may be that year's one-off.
            var yearsSeen = ratios.Where(r => r.Month == m).GroupBy(r => r.Year).Count(g => g.Count() >= MinObservations);
            if (own.Count < MinObservations || yearsSeen < 2)
                continue;
            var se = StandardError(own, factor[m]);
            if (Math.Abs(factor[m] - 1) > StandardErrors * se && Math.Abs(factor[m] - 1) >= MinEffect)
            {
                months[m] = factor[m];
                seen.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(m + 1)} ×{factor[m]:0.00} (±{se:0.00}, {own.Count:N0} obs.)"));
            }
        }
        var levels = new Dictionary<int, double>();
        foreach (var y in years.Where(y => y != anchor))
        {
            List<double> own = [.. ratios.Where(r => r.Year == y).Select(r => r.R / (factor[r.Month] * last))];
            var se = StandardError(own, level[y]);
            if (own.Count >= MinObservations && Math.Abs(level[y] - 1) > StandardErrors * se && Math.Abs(level[y] - 1) >= MinEffect)
            {
                levels[y] = level[y];
                seen.Add(string.Create(CultureInfo.InvariantCulture, $"{y} at ×{level[y]:0.00} of {anchor} (±{se:0.00}, {own.Count:N0} obs.; a level, reported, not applied)"));
            }
        }
        if (seen.Count == 0)
            return new Seasonality(months, levels, false, "no month's or year's delays depart from the rest by 10% and beyond their noise");
        var applies = months.Any(f => f != 1);
        return new Seasonality(months, levels, applies, "delay nodes' response times: " + string.Join(", ", seen)
            + (applies ? "; other months ×1" : "; no month departs beyond its noise in two years"));
    }

    private static double StandardError(List<double> values, double mean)
    {
        if (values.Count < 2)
            return double.PositiveInfinity;
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return Math.Sqrt(variance / values.Count);
    }
}
