using System.Globalization;

namespace Analytics.Core.Time;

/// <summary>
/// Parses ISO 8601 / XML Schema <c>dateTime</c> text into UTC instants.
/// </summary>
/// <remarks>
/// A timestamp with an offset (<c>Z</c>, <c>+01:00</c>, <c>-0500</c>) is honoured: <c>10:00+01:00</c> is 09:00 UTC.
/// A naive timestamp (no offset) is read as wall-clock time in the zone passed in, which is the only place a
/// time zone enters ingestion. Fractional seconds are kept to the tick (100 ns). Thread-safe: no shared state.
/// </remarks>
public static class TimestampParser
{
    /// <summary>Parses UTF-16 text; see <see cref="TryParse(ReadOnlySpan{byte}, TimeZoneInfo, out DateTime)"/>.</summary>
    /// <param name="text">The timestamp, e.g. <c>2011-10-01T00:38:44.546+02:00</c> or <c>2019-03-04 10:00:00</c>.</param>
    /// <param name="naiveZone">The zone in which a timestamp without an offset is read.</param>
    /// <param name="utc">The instant as a <see cref="DateTime"/> of kind <see cref="DateTimeKind.Utc"/>.</param>
    /// <returns><c>false</c> when the text is not a valid calendar date and time.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, TimeZoneInfo naiveZone, out DateTime utc) => TryParse(text, naiveZone, out utc, out _);

    /// <summary>Parses UTF-16 text and says which offset it carried (null for a naive timestamp).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, TimeZoneInfo naiveZone, out DateTime utc, out int? offsetMinutes)
    {
        Span<byte> buffer = stackalloc byte[64];
        utc = default;
        offsetMinutes = null;
        if (text.Length > buffer.Length)
            return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127)
                return false;
            buffer[i] = (byte)text[i];
        }
        return TryParse(buffer[..text.Length], naiveZone, out utc, out offsetMinutes);
    }

    /// <summary>
    /// Parses ASCII/UTF-8 bytes of the form <c>YYYY-MM-DD[Thh:mm[:ss[.fffffff]]][Z|±hh[:mm]]</c>; a space may stand for <c>T</c>.
    /// </summary>
    /// <param name="text">The timestamp bytes, without surrounding whitespace.</param>
    /// <param name="naiveZone">The zone in which a timestamp without an offset is read.</param>
    /// <param name="utc">The instant, kind <see cref="DateTimeKind.Utc"/>.</param>
    /// <returns><c>false</c> for malformed text or an impossible date (e.g. 2019-02-30).</returns>
    public static bool TryParse(ReadOnlySpan<byte> text, TimeZoneInfo naiveZone, out DateTime utc) => TryParse(text, naiveZone, out utc, out _);

    /// <summary>Parses like <see cref="TryParse(ReadOnlySpan{byte}, TimeZoneInfo, out DateTime)"/> and says which offset the text carried.</summary>
    /// <param name="text">The timestamp bytes.</param>
    /// <param name="naiveZone">The zone in which a timestamp without an offset is read.</param>
    /// <param name="utc">The instant, kind <see cref="DateTimeKind.Utc"/>.</param>
    /// <param name="offsetMinutes">The UTC offset written in the text, in minutes (0 for <c>Z</c>); null for a naive timestamp.</param>
    /// <returns><c>false</c> for malformed text or an impossible date.</returns>
    public static bool TryParse(ReadOnlySpan<byte> text, TimeZoneInfo naiveZone, out DateTime utc, out int? offsetMinutes)
    {
        ArgumentNullException.ThrowIfNull(naiveZone);
        utc = default;
        offsetMinutes = null;
        text = Trim(text);
        if (text.Length < 10 || text[4] != '-' || text[7] != '-')
            return false;
        if (!TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day))
            return false;
        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var pos = 10;
        if (pos < text.Length && (text[pos] == 'T' || text[pos] == ' '))
        {
            pos++;
            if (!TryDigits(text, pos, 2, out hour) || pos + 2 >= text.Length || text[pos + 2] != ':' || !TryDigits(text, pos + 3, 2, out minute))
                return false;
            pos += 5;
            if (pos < text.Length && text[pos] == ':')
            {
                if (!TryDigits(text, pos + 1, 2, out second))
                    return false;
                pos += 3;
                if (pos < text.Length && (text[pos] == '.' || text[pos] == ','))
                {
                    pos++;
                    var start = pos;
                    long scale = TimeSpan.TicksPerSecond;
                    while (pos < text.Length && IsDigit(text[pos]))
                    {
                        if (scale > 1)
                        {
                            scale /= 10;
                            fractionTicks += (text[pos] - '0') * scale;
                        }
                        pos++;
                    }
                    if (pos == start)
                        return false;
                }
            }
        }
        TimeSpan? offset = null;
        if (pos < text.Length)
        {
            var sign = text[pos];
            if (sign == 'Z' || sign == 'z')
            {
                offset = TimeSpan.Zero;
                pos++;
            }
            else if (sign == '+' || sign == '-')
            {
                if (!TryDigits(text, pos + 1, 2, out var offHours))
                    return false;
                pos += 3;
                var offMinutes = 0;
                if (pos < text.Length && text[pos] == ':')
                    pos++;
                if (pos < text.Length)
                {
                    if (!TryDigits(text, pos, 2, out offMinutes))
                        return false;
                    pos += 2;
                }
                // Real offsets lie within ±14:00 (Kiribati); anything beyond is no clock on Earth.
                if (offHours > 14 || offMinutes > 59 || (offHours == 14 && offMinutes > 0))
                    return false;
                var magnitude = new TimeSpan(offHours, offMinutes, 0);
                offset = sign == '-' ? -magnitude : magnitude;
            }
            if (pos != text.Length)
                return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        // 24:00:00 is allowed by ISO 8601 as the end of a day.
        var endOfDay = hour == 24 && minute == 0 && second == 0 && fractionTicks == 0;
        if ((hour > 23 && !endOfDay) || minute > 59 || second > 59)
            return false;
        var local = new DateTime(year, month, day, endOfDay ? 0 : hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        if (endOfDay)
            local = local.AddDays(1);
        if (offset is { } off)
        {
            utc = DateTime.SpecifyKind(local - off, DateTimeKind.Utc);
            offsetMinutes = (int)off.TotalMinutes;
            return true;
        }
        if (naiveZone == TimeZoneInfo.Utc)
        {
            utc = DateTime.SpecifyKind(local, DateTimeKind.Utc);
            return true;
        }
        // A wall-clock time skipped by a daylight-saving jump does not exist; it is read with the offset in force before the jump.
        utc = naiveZone.IsInvalidTime(local)
            ? DateTime.SpecifyKind(local - naiveZone.GetUtcOffset(local.AddHours(-3)), DateTimeKind.Utc)
            : TimeZoneInfo.ConvertTimeToUtc(local, naiveZone);
        return true;
    }

    /// <summary>Formats an instant as ISO 8601 UTC with as many fractional digits as it needs.</summary>
    /// <param name="utc">An instant of kind <see cref="DateTimeKind.Utc"/>.</param>
    /// <returns>e.g. <c>2011-09-30T22:38:44.546Z</c>.</returns>
    public static string FormatUtc(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && text[start] <= ' ')
            start++;
        while (end > start && text[end - 1] <= ' ')
            end--;
        return text[start..end];
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
            return false;
        for (var i = start; i < start + count; i++)
        {
            if (!IsDigit(text[i]))
                return false;
            value = value * 10 + (text[i] - '0');
        }
        return true;
    }
}
