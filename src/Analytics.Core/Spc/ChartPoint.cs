namespace Analytics.Core.Spc;

/// <summary>One plotted point with its centre, limits and signals.</summary>
/// <param name="Index">1-based position over Phase I and Phase II.</param>
/// <param name="Label">The subgroup's label.</param>
/// <param name="PhaseOne">Whether the point belongs to the baseline that estimated the limits.</param>
/// <param name="Size">Subgroup size (observations, or units inspected).</param>
/// <param name="Value">The plotted statistic (in the transformed scale when a transform is used).</param>
/// <param name="Center">Centre line at this point.</param>
/// <param name="Lcl">Lower control limit at this point.</param>
/// <param name="Ucl">Upper control limit at this point.</param>
/// <param name="Signals">Tests that fired at this point (see <see cref="Spc.Signals"/>).</param>
public sealed record ChartPoint(int Index, string Label, bool PhaseOne, double Size, double Value, double Center, double Lcl, double Ucl,
    IReadOnlyList<string> Signals)
{
    /// <summary>For a transformed chart: value, centre and limits back in the original units; <c>null</c> otherwise.</summary>
    public OriginalScale? Original { get; init; }

    /// <summary>For a CUSUM chart: the lower cumulative sum (stored negative, as qcc does); the upper one is <see cref="Value"/>.</summary>
    public double? Lower { get; init; }
}

/// <summary>A point's value, centre and limits in the data's own units, after undoing a transform.</summary>
/// <param name="Value">The statistic.</param>
/// <param name="Center">Centre line.</param>
/// <param name="Lcl">Lower limit.</param>
/// <param name="Ucl">Upper limit.</param>
public sealed record OriginalScale(double Value, double Center, double Lcl, double Ucl);
