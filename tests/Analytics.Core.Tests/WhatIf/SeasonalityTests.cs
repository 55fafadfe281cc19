using Analytics.Core.Simulation;
using Analytics.Core.WhatIf;

namespace Analytics.Core.Tests.WhatIf;

public class SeasonalityTests
{
    /// <summary>Exponential response times over <paramref name="months"/>, slower in July and in the first year.</summary>
    private static (IReadOnlyList<double>, IReadOnlyList<int>) Node(IEnumerable<DateTime> months, double july, double firstYear, int perMonth, int seed)
    {
        var sampler = new Sampler(seed);
        var seconds = new List<double>();
        var periods = new List<int>();
        var first = months.Min().Year;
        foreach (var m in months)
            for (var k = 0; k < perMonth; k++)
            {
                var scale = 3600 * (m.Month == 7 ? july : 1) * (m.Year == first ? firstYear : 1);
                seconds.Add(-Math.Log(1 - sampler.Uniform()) * scale);
                periods.Add(Seasonality.Period(m));
            }
        return (seconds, periods);
    }

    private static List<DateTime> Months(DateTime from, int count) => [.. Enumerable.Range(0, count).Select(i => from.AddMonths(i))];

    [Fact]
    public void ASlowJulySeenInTwoYearsIsFoundAndASlowerYearIsNotTakenForASeason()
    {
        // Jan 2017 .. Sep 2018: July twice; 2017 slower throughout.
        var months = Months(new DateTime(2017, 1, 1, 0, 0, 0, DateTimeKind.Utc), 21);
        var s = Seasonality.Discover([Node(months, july: 1.6, firstYear: 1.3, perMonth: 600, seed: 1), Node(months, july: 1.6, firstYear: 1.3, perMonth: 400, seed: 2)], TimeSpan.FromDays(600));
        Assert.True(s.Applies, s.Evidence);
        var neutral = s.Factors.Where((_, m) => m != 6).Where(f => f != 1).ToList();
        Assert.Empty(neutral); // no other month departs beyond its noise
        // July relative to a neutral month of the same year.
        Assert.InRange(s.Factors[6], 1.45, 1.75);
        Assert.InRange(s.Levels[2017], 1.2, 1.4);
        Assert.Contains("Jul ×", s.Evidence, StringComparison.Ordinal);
        Assert.Contains("not applied", s.Evidence, StringComparison.Ordinal);
        Assert.Equal(s.Factors[6], s.At(new DateTime(2019, 7, 15, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(s.Factors[6], s.Adjustment(Seasonality.Period(new DateTime(2017, 7, 3, 0, 0, 0, DateTimeKind.Utc))));
    }

    [Fact]
    public void AMonthSeenInOneYearOnlyIsNoSeason()
    {
        // Aug 2017 .. Jul 2018 and a little more: July seen once (2018), every other month once too, except August.
        var months = Months(new DateTime(2017, 8, 1, 0, 0, 0, DateTimeKind.Utc), 12);
        var s = Seasonality.Discover([Node(months, july: 2.0, firstYear: 1, perMonth: 800, seed: 3)], TimeSpan.FromDays(365));
        Assert.Equal(1, s.Factors[6]);
        Assert.False(s.Applies, s.Evidence);
    }

    [Fact]
    public void AWindowShorterThanAYearSaysSo()
    {
        var months = Months(new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc), 5);
        var s = Seasonality.Discover([Node(months, july: 1, firstYear: 1, perMonth: 100, seed: 4)], TimeSpan.FromDays(150));
        Assert.False(s.Applies);
        Assert.Contains("150 days", s.Evidence, StringComparison.Ordinal);
        Assert.All(s.Factors, f => Assert.Equal(1, f));
    }

    [Fact]
    public void ASteadyProcessHasNoTimeOfYear()
    {
        var months = Months(new DateTime(2017, 1, 1, 0, 0, 0, DateTimeKind.Utc), 24);
        var s = Seasonality.Discover([Node(months, july: 1, firstYear: 1, perMonth: 500, seed: 5)], TimeSpan.FromDays(730));
        Assert.False(s.Applies, s.Evidence);
        Assert.All(s.Factors, f => Assert.Equal(1, f));
    }
}
