using System.Globalization;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// How many timestamps of a file carried each UTC offset, per month: the evidence of the time zone the data was
/// written in (an offset that moves between winter and summer names a daylight-saving zone).
/// </summary>
internal sealed class OffsetTally
{
    private readonly Dictionary<(int YearMonth, int Minutes), long> _counts = [];

    /// <summary>Counts one timestamp that carried an offset.</summary>
    public void Add(DateTime utc, int offsetMinutes)
    {
        var key = (utc.Year * 100 + utc.Month, offsetMinutes);
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
    }

    /// <summary>Counts a timestamp written as text (a tabular file): its month and its offset suffix, if any.</summary>
    public void Add(string yearMonth, string? suffix, long count)
    {
        if (string.IsNullOrEmpty(suffix) || yearMonth.Length < 7
            || !int.TryParse(yearMonth.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(yearMonth.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month))
            return;
        int minutes;
        if (suffix is "Z" or "z")
            minutes = 0;
        else
        {
            var digits = suffix[1..].Replace(":", "", StringComparison.Ordinal);
            if (digits.Length != 4 || !int.TryParse(digits.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
                || !int.TryParse(digits.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
                return;
            minutes = (h * 60 + m) * (suffix[0] == '-' ? -1 : 1);
        }
        var key = (year * 100 + month, minutes);
        _counts[key] = _counts.GetValueOrDefault(key) + count;
    }

    /// <summary>(yyyymm, offset minutes, timestamps) rows.</summary>
    public IEnumerable<(int YearMonth, int Minutes, long Count)> Rows => _counts.Select(c => (c.Key.YearMonth, c.Key.Minutes, c.Value));
}
