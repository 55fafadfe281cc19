using Analytics.Core.Spc;

namespace Analytics.Core.Tests.Spc;

/// <summary>Each of the eight tests on a hand-built series (centre 0, σ 1, limits ±3) in which it fires exactly once.</summary>
public sealed class SpecialCauseTestsTests
{
    private static List<string>[] Detect(double[] values, SpecialCauseTests? tests = null)
    {
        var n = values.Length;
        return SpecialCauseDetector.Detect(values, Enumerable.Repeat(0.0, n).ToList(), Enumerable.Repeat(-3.0, n).ToList(),
            Enumerable.Repeat(3.0, n).ToList(), Enumerable.Repeat(1.0, n).ToList(), tests ?? SpecialCauseTests.Minitab);
    }

    /// <summary>The 1-based points at which a signal fired.</summary>
    private static int[] Where(List<string>[] signals, string signal) =>
        signals.Select((s, i) => (s, i)).Where(x => x.s.Contains(signal)).Select(x => x.i + 1).ToArray();

    private static void OnlySignalIs(List<string>[] signals, string signal, int point)
    {
        Assert.Equal([point], Where(signals, signal));
        Assert.Equal(1, signals.Sum(s => s.Count));
    }

    [Fact]
    public void PointAboveUpperLimitIsFlagged() =>
        OnlySignalIs(Detect([0.5, -0.5, 3.5, -0.5, 0.5]), Signals.BeyondLimits, 3);

    [Fact]
    public void PointOnTheLimitIsNotFlagged() =>
        Assert.Empty(Where(Detect([0.5, -0.5, 3.0, -0.5]), Signals.BeyondLimits));

    [Fact]
    public void NinePointsOnOneSideFireTestTwo() =>
        // Nine points above the centre, alternating in size so no trend or alternation pattern completes.
        OnlySignalIs(Detect([-0.5, 0.2, 0.6, 0.3, 0.5, 0.4, 0.7, 0.2, 0.5, 0.6, -0.4]), Signals.Run, 10);

    [Fact]
    public void PointOnTheCentreBreaksARun() =>
        Assert.Empty(Where(Detect([0.2, 0.6, 0.3, 0.5, 0.0, 0.4, 0.7, 0.2, 0.5, 0.6, 0.3]), Signals.Run));

    [Fact]
    public void SixPointsRisingFireTestThree() =>
        OnlySignalIs(Detect([0.3, -0.2, -0.6, -0.5, -0.3, -0.1, 0.1, 0.4, 0.2]), Signals.Trend, 8);

    [Fact]
    public void FourteenPointsAlternatingFireTestFour() =>
        // The 15th point, beyond 1σ, also keeps test 7 (15 points within 1σ) from firing.
        OnlySignalIs(Detect([0.1, 0.4, 0.2, 0.5, -0.3, 0.1, -0.6, 0.3, -0.2, 0.4, -0.4, 0.2, -0.1, 0.6, 1.5]), Signals.Alternating, 14);

    [Fact]
    public void TwoOfThreeBeyondTwoSigmaFireTestFive() =>
        OnlySignalIs(Detect([0.5, -0.5, 2.5, 0.4, 2.2, -0.5, 0.3]), Signals.ZoneA, 5);

    [Fact]
    public void FourOfFiveBeyondOneSigmaFireTestSix() =>
        OnlySignalIs(Detect([-0.5, 1.5, 1.2, 0.3, 1.8, 1.4, -0.2]), Signals.ZoneB, 6);

    [Fact]
    public void FifteenPointsHuggingTheCentreFireTestSeven()
    {
        double[] values = [2.0, 0.5, -0.5, 0.4, -0.4, 0.6, 0.6, -0.3, -0.3, 0.5, -0.5, 0.2, 0.2, -0.6, 0.4, -0.2, 2.0];
        OnlySignalIs(Detect(values, SpecialCauseTests.Minitab with { Alternating = false }), Signals.Stratification, 16);
    }

    [Fact]
    public void EightPointsAvoidingTheCentreFireTestEight()
    {
        double[] values = [0.2, 1.5, -1.5, -1.8, 1.6, 1.7, -1.4, 1.3, -1.6, 0.1];
        OnlySignalIs(Detect(values, SpecialCauseTests.Minitab with { Alternating = false, ZoneB = false }), Signals.Mixture, 9);
    }

    [Fact]
    public void RunLengthIsConfigurableAsInQcc() =>
        Assert.Equal([7, 8], Where(Detect([0.2, 0.6, 0.3, 0.5, 0.4, 0.7, 0.2, 0.5, -0.1], SpecialCauseTests.BeyondLimitsOnly with { Run = true, RunLength = 7 }), Signals.Run));

    [Fact]
    public void SwitchedOffTestsDoNotFire() =>
        Assert.All(Detect([0.5, -0.5, 3.5, 4.0], SpecialCauseTests.Minitab with { BeyondLimits = false }), s => Assert.DoesNotContain(Signals.BeyondLimits, s));
}
