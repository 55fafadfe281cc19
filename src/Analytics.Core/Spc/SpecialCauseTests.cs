namespace Analytics.Core.Spc;

/// <summary>
/// The eight tests for special causes (Nelson; Western Electric), each switchable, with Minitab's default parameters.
/// </summary>
/// <remarks>
/// A test flags the point at which its pattern completes, and every later point that continues it. Zones are measured
/// in σ of the plotted statistic at that point, (UCL − centre)/3 for 3σ limits. A point exactly on the centre line
/// belongs to neither side. For qcc 2.7's run flags set <see cref="RunLength"/> to 7 and switch the others off.
/// </remarks>
public sealed record SpecialCauseTests
{
    /// <summary>Minitab's defaults: all eight tests on.</summary>
    public static SpecialCauseTests Minitab { get; } = new();

    /// <summary>Only test 1 (beyond the limits).</summary>
    public static SpecialCauseTests BeyondLimitsOnly { get; } = new() { Run = false, Trend = false, Alternating = false, ZoneA = false, ZoneB = false, Stratification = false, Mixture = false };

    /// <summary>Test 1: one point beyond the control limits (strictly).</summary>
    public bool BeyondLimits { get; init; } = true;

    /// <summary>Test 2: <see cref="RunLength"/> points in a row on one side of the centre line.</summary>
    public bool Run { get; init; } = true;

    /// <summary>Points in a row for test 2 (Minitab 9; qcc 2.7 uses 7).</summary>
    public int RunLength { get; init; } = 9;

    /// <summary>Test 3: <see cref="TrendLength"/> points in a row all increasing or all decreasing.</summary>
    public bool Trend { get; init; } = true;

    /// <summary>Points in a row for test 3 (6).</summary>
    public int TrendLength { get; init; } = 6;

    /// <summary>Test 4: <see cref="AlternatingLength"/> points in a row alternating up and down.</summary>
    public bool Alternating { get; init; } = true;

    /// <summary>Points in a row for test 4 (14).</summary>
    public int AlternatingLength { get; init; } = 14;

    /// <summary>Test 5: <see cref="ZoneACount"/> out of <see cref="ZoneACount"/>+1 points beyond 2σ on the same side.</summary>
    public bool ZoneA { get; init; } = true;

    /// <summary>Points beyond 2σ for test 5 (2, of 3).</summary>
    public int ZoneACount { get; init; } = 2;

    /// <summary>Test 6: <see cref="ZoneBCount"/> out of <see cref="ZoneBCount"/>+1 points beyond 1σ on the same side.</summary>
    public bool ZoneB { get; init; } = true;

    /// <summary>Points beyond 1σ for test 6 (4, of 5).</summary>
    public int ZoneBCount { get; init; } = 4;

    /// <summary>Test 7: <see cref="StratificationLength"/> points in a row within 1σ of the centre (either side).</summary>
    public bool Stratification { get; init; } = true;

    /// <summary>Points in a row for test 7 (15).</summary>
    public int StratificationLength { get; init; } = 15;

    /// <summary>Test 8: <see cref="MixtureLength"/> points in a row beyond 1σ on either side (none within 1σ).</summary>
    public bool Mixture { get; init; } = true;

    /// <summary>Points in a row for test 8 (8).</summary>
    public int MixtureLength { get; init; } = 8;
}
