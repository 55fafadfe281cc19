using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Mining.Columnar;

namespace Analytics.Core.Tests.Columnar;

/// <summary>The pieces of the column engine against their plain definitions.</summary>
public sealed class ColumnarKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(100_003)]
    public void SelectedPercentilesEqualThoseOfASort(int n)
    {
        var random = new Random(n);
        // Many ties, as durations in whole seconds have.
        var values = Enumerable.Range(0, n).Select(_ => (long)random.Next(0, Math.Max(2, n / 10)) * 1_000_000).ToArray();
        var sorted = values.Select(v => v / 1e6).Order().ToList();
        var expected = DurationSummary.OfSorted(sorted);

        var actual = OrderStatistics.OfMicros(values.AsSpan());

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.MedianSeconds, actual.MedianSeconds, 1e-9);
        Assert.Equal(expected.P90Seconds, actual.P90Seconds, 1e-9);
        Assert.Equal(expected.P95Seconds, actual.P95Seconds, 1e-9);
        Assert.Equal(expected.MinSeconds, actual.MinSeconds);
        Assert.Equal(expected.MaxSeconds, actual.MaxSeconds);
        Assert.Equal(expected.MeanSeconds, actual.MeanSeconds, 1e-6);
        Assert.Equal(expected.StdevSeconds ?? -1, actual.StdevSeconds ?? -1, 1e-6);
        var seconds = OrderStatistics.OfSeconds(sorted.OrderBy(_ => random.Next()).ToArray().AsSpan());
        Assert.Equal(expected.P90Seconds, seconds.P90Seconds, 1e-9);
    }

    [Fact]
    public void HintedClockReadingEqualsTheBinarySearch()
    {
        var clock = BusinessClock.Build(BuiltInCalendars.UtcWeekdays9To17, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 12, 31, 0, 0, 0, DateTimeKind.Utc));
        var random = new Random(7);
        var hint = 0;
        var t = new DateTime(2023, 12, 25, 0, 0, 0, DateTimeKind.Utc).Ticks;
        for (var i = 0; i < 20_000; i++)
        {
            // Mostly small steps forward, now and then a jump either way (the next case), and instants outside the range.
            t += random.Next(10) == 0 ? (long)((random.NextDouble() - 0.5) * TimeSpan.TicksPerDay * 200) : random.Next(0, 7200) * TimeSpan.TicksPerSecond;
            t = Math.Clamp(t, new DateTime(2023, 12, 1).Ticks, new DateTime(2025, 2, 1).Ticks);
            Assert.Equal(clock.SecondsAt(new DateTime(t, DateTimeKind.Utc)), clock.SecondsAtTicks(t, ref hint));
        }
    }

    [Fact]
    public void Utf8OrderIsTheOrderOfTheBytes()
    {
        string[] words = ["a", "ab", "B", "\uE000x", "\U0001F600", "é", "中文", "", "z"];
        var byBytes = words.OrderBy(w => w, Comparer<string>.Create((x, y) => System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y)))).ToList();
        Assert.Equal(byBytes, words.Order(Utf8Order.Instance).ToList());
        Assert.NotEqual(byBytes, words.Order(StringComparer.Ordinal).ToList());
    }
}
