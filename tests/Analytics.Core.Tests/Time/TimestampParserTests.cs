using System.Text;
using Analytics.Core.Time;

namespace Analytics.Core.Tests.Time;

public sealed class TimestampParserTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Theory]
    [InlineData("2011-10-01T00:38:44.546+02:00", "2011-09-30T22:38:44.546Z")]
    [InlineData("2024-01-15T10:00:00+01:00", "2024-01-15T09:00:00Z")]
    [InlineData("2024-01-15 10:00:00-0530", "2024-01-15T15:30:00Z")]
    [InlineData("2024-01-15T10:00:00Z", "2024-01-15T10:00:00Z")]
    [InlineData("2024-01-15T10:00:00.1234567Z", "2024-01-15T10:00:00.1234567Z")]
    [InlineData("2024-01-15T10:00:00.123456789Z", "2024-01-15T10:00:00.1234567Z")]
    [InlineData("2024-12-31T24:00:00Z", "2025-01-01T00:00:00Z")]
    [InlineData("2024-01-15", "2024-01-15T00:00:00Z")]
    public void OffsetsAreHonoured(string text, string expectedUtc)
    {
        Assert.True(TimestampParser.TryParse(Encoding.ASCII.GetBytes(text), TimeZoneInfo.Utc, out var utc));
        Assert.Equal(expectedUtc, TimestampParser.FormatUtc(utc));
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Fact]
    public void NaiveTimestampTakesTheGivenZone()
    {
        Assert.True(TimestampParser.TryParse("2024-03-04 09:12:00".AsSpan(), Shanghai, out var utc));
        Assert.Equal("2024-03-04T01:12:00Z", TimestampParser.FormatUtc(utc));
    }

    [Theory]
    // 2024-03-31 02:30 does not exist in Amsterdam (clocks jump 02:00 → 03:00); it is read with the winter offset.
    [InlineData("2024-03-31T02:30:00", "2024-03-31T01:30:00Z")]
    // 2024-10-27 02:30 happens twice; .NET takes the standard-time (second) reading.
    [InlineData("2024-10-27T02:30:00", "2024-10-27T01:30:00Z")]
    [InlineData("2024-07-01T12:00:00", "2024-07-01T10:00:00Z")]
    public void NaiveTimestampsAcrossDaylightSavingChanges(string text, string expectedUtc)
    {
        Assert.True(TimestampParser.TryParse(text.AsSpan(), Amsterdam, out var utc));
        Assert.Equal(expectedUtc, TimestampParser.FormatUtc(utc));
    }

    [Theory]
    [InlineData("2019-02-29T10:00:00Z")]
    [InlineData("2024-13-01T10:00:00Z")]
    [InlineData("2024-01-01T25:00:00Z")]
    [InlineData("2024-01-01T10:61:00Z")]
    [InlineData("2024-01-01T10:00:00+25:00")]
    [InlineData("01/02/2024 10:00")]
    [InlineData("2024-01-01T10:00:00Zjunk")]
    [InlineData("")]
    [InlineData("yesterday")]
    public void MalformedOrImpossibleTextIsRefused(string text) =>
        Assert.False(TimestampParser.TryParse(Encoding.ASCII.GetBytes(text), TimeZoneInfo.Utc, out _));
}
