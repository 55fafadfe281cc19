namespace Analytics.Core.Spc;

/// <summary>Applies <see cref="SpecialCauseTests"/> to a sequence of plotted points.</summary>
public static class SpecialCauseDetector
{
    /// <summary>Finds the signals of each point.</summary>
    /// <param name="values">Plotted statistics, in time order.</param>
    /// <param name="centers">Centre line at each point.</param>
    /// <param name="lcls">Lower limit at each point.</param>
    /// <param name="ucls">Upper limit at each point.</param>
    /// <param name="sigmas">σ of the plotted statistic at each point (zone width); zone tests are skipped where it is not positive.</param>
    /// <param name="tests">Which tests, with which parameters.</param>
    /// <returns>Per point, the signal names (see <see cref="Signals"/>), in test order.</returns>
    public static List<string>[] Detect(IReadOnlyList<double> values, IReadOnlyList<double> centers, IReadOnlyList<double> lcls,
        IReadOnlyList<double> ucls, IReadOnlyList<double> sigmas, SpecialCauseTests tests)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(tests);
        var n = values.Count;
        var result = new List<string>[n];
        for (var i = 0; i < n; i++)
            result[i] = [];
        // z: distance from the centre in σ; side: +1 above, −1 below, 0 on the line.
        var z = new double[n];
        var side = new int[n];
        for (var i = 0; i < n; i++)
        {
            var d = values[i] - centers[i];
            side[i] = Math.Sign(d);
            z[i] = sigmas[i] > 0 ? d / sigmas[i] : double.NaN;
        }
        int sameSide = 0, up = 0, down = 0, alternating = 0, within = 0, outside = 0;
        for (var i = 0; i < n; i++)
        {
            if (tests.BeyondLimits && (values[i] > ucls[i] || values[i] < lcls[i]))
                result[i].Add(Signals.BeyondLimits);

            sameSide = side[i] == 0 ? 0 : i > 0 && side[i] == side[i - 1] ? sameSide + 1 : 1;
            if (tests.Run && sameSide >= tests.RunLength)
                result[i].Add(Signals.Run);

            // A run of k points rising has k − 1 rises; ties break it.
            up = i > 0 && values[i] > values[i - 1] ? up + 1 : 0;
            down = i > 0 && values[i] < values[i - 1] ? down + 1 : 0;
            if (tests.Trend && (up >= tests.TrendLength - 1 || down >= tests.TrendLength - 1))
                result[i].Add(Signals.Trend);

            // k points alternate when each of the k − 1 steps reverses the direction of the one before.
            if (i >= 2 && Math.Sign(values[i] - values[i - 1]) * Math.Sign(values[i - 1] - values[i - 2]) < 0)
                alternating = alternating == 0 ? 3 : alternating + 1;
            else
                alternating = 0;
            if (tests.Alternating && alternating >= tests.AlternatingLength)
                result[i].Add(Signals.Alternating);

            if (double.IsNaN(z[i]))
            {
                within = outside = 0;
                continue;
            }
            if (tests.ZoneA && OutOf(z, i, tests.ZoneACount, 2))
                result[i].Add(Signals.ZoneA);
            if (tests.ZoneB && OutOf(z, i, tests.ZoneBCount, 1))
                result[i].Add(Signals.ZoneB);

            within = Math.Abs(z[i]) < 1 ? within + 1 : 0;
            if (tests.Stratification && within >= tests.StratificationLength)
                result[i].Add(Signals.Stratification);

            outside = Math.Abs(z[i]) > 1 ? outside + 1 : 0;
            if (tests.Mixture && outside >= tests.MixtureLength)
                result[i].Add(Signals.Mixture);
        }
        return result;
    }

    /// <summary>Point i is beyond <paramref name="sigmas"/>σ and, with it, at least <paramref name="count"/> of the last count + 1 points are beyond on the same side.</summary>
    private static bool OutOf(double[] z, int i, int count, double sigmas)
    {
        var window = count + 1;
        if (i + 1 < count)
            return false;
        var sign = Math.Sign(z[i]);
        if (sign == 0 || Math.Abs(z[i]) <= sigmas)
            return false;
        var hits = 0;
        for (var j = Math.Max(0, i - window + 1); j <= i; j++)
            if (!double.IsNaN(z[j]) && Math.Sign(z[j]) == sign && Math.Abs(z[j]) > sigmas)
                hits++;
        return hits >= count;
    }
}
