using System.Numerics;

namespace Analytics.Core.Mining.Columnar;

/// <summary>
/// Exact percentiles without a full sort: the few order statistics a <see cref="DurationSummary"/> needs (the two
/// neighbours of each of p50, p90 and p95 under R type 7) are selected in place, each in the part of the values
/// left after the one before, so the work is linear rather than n log n. Reorders the values.
/// </summary>
public static class OrderStatistics
{
    private static readonly double[] Levels = [0.5, 0.9, 0.95];

    /// <summary>Summarises durations in microseconds (at least one), reordering them; seconds out, as the store computes them.</summary>
    public static DurationSummary OfMicros(Span<long> micros)
    {
        SelectQuantiles(micros);
        Int128 sum = 0;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var v in micros)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var n = micros.Length;
        var mean = (double)sum / n / 1e6;
        double? stdev = null;
        if (n > 1)
        {
            var ss = 0.0;
            foreach (var v in micros)
            {
                var d = v / 1e6 - mean;
                ss += d * d;
            }
            stdev = Math.Sqrt(ss / (n - 1));
        }
        return new DurationSummary(n, mean, Quantile(micros, 0.5) / 1e6, Quantile(micros, 0.9) / 1e6, Quantile(micros, 0.95) / 1e6, min / 1e6, max / 1e6, stdev);
    }

    /// <summary>Summarises durations in seconds (at least one), reordering them.</summary>
    public static DurationSummary OfSeconds(Span<double> seconds)
    {
        SelectQuantiles(seconds);
        var sum = 0.0;
        double min = double.MaxValue, max = double.MinValue;
        foreach (var v in seconds)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var n = seconds.Length;
        var mean = sum / n;
        double? stdev = null;
        if (n > 1)
        {
            var ss = 0.0;
            foreach (var v in seconds)
                ss += (v - mean) * (v - mean);
            stdev = Math.Sqrt(ss / (n - 1));
        }
        return new DurationSummary(n, mean, Quantile(seconds, 0.5), Quantile(seconds, 0.9), Quantile(seconds, 0.95), min, max, stdev);
    }

    /// <summary>
    /// Reorders <paramref name="values"/> (at least one) so that the neighbours of each of p50, p90 and p95 under R
    /// type 7 stand where a full sort would put them.
    /// </summary>
    public static void SelectQuantiles<T>(Span<T> values)
        where T : struct, INumber<T>
    {
        var n = values.Length;
        if (n == 0)
            throw new ArgumentException("no values", nameof(values));
        if (n <= 64)
        {
            values.Sort();
            return;
        }
        Span<int> ks = stackalloc int[Levels.Length * 2];
        var count = 0;
        foreach (var p in Levels)
        {
            var lo = (int)Math.Floor((n - 1) * p);
            ks[count++] = lo;
            ks[count++] = Math.Min(lo + 1, n - 1);
        }
        ks.Sort();
        var from = 0;
        var last = -1;
        foreach (var k in ks)
        {
            if (k == last)
                continue;
            QuickSelect(values, from, n - 1, k);
            from = k + 1;
            last = k;
        }
    }

    /// <summary>The R type 7 quantile at <paramref name="p"/> of values put in place by <see cref="SelectQuantiles"/> (p one of 0.5, 0.9, 0.95).</summary>
    public static double Quantile<T>(ReadOnlySpan<T> values, double p)
        where T : struct, INumber<T>
    {
        var h = (values.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, values.Length - 1);
        var a = double.CreateChecked(values[lo]);
        return a + (h - lo) * (double.CreateChecked(values[hi]) - a);
    }

    /// <summary>The R type 7 quantile of values put in place by <see cref="SelectQuantiles"/>.</summary>
    private static double Quantile<T>(Span<T> values, double p)
        where T : struct, INumber<T> => Quantile((ReadOnlySpan<T>)values, p);

    /// <summary>Puts the k-th smallest of <c>values[left..right]</c> at <paramref name="k"/>, smaller ones before and larger after.</summary>
    private static void QuickSelect<T>(Span<T> values, int left, int right, int k)
        where T : struct, INumber<T>
    {
        while (right > left)
        {
            if (right - left < 16)
            {
                values[left..(right + 1)].Sort();
                return;
            }
            // Median of three as the pivot, then Hoare's partition.
            var mid = left + (right - left) / 2;
            if (values[mid] < values[left]) (values[mid], values[left]) = (values[left], values[mid]);
            if (values[right] < values[left]) (values[right], values[left]) = (values[left], values[right]);
            if (values[right] < values[mid]) (values[right], values[mid]) = (values[mid], values[right]);
            var pivot = values[mid];
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                    i++;
                while (values[j] > pivot)
                    j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
                right = j;
            else if (k >= i)
                left = i;
            else
                return;
        }
    }
}
