using Analytics.Core.Routing;
using Analytics.Core.Simulation;

namespace Analytics.Core.Tests.Routing;

public sealed class RoutingStatisticsTests
{
    [Fact]
    public void ClopperPearsonBoundWithNoMissIsOneMinusDeltaToTheOneOverN() =>
        // With 0 misses in n, the exact one-sided bound solves (1 − p)^n = δ.
        Assert.Equal(1 - Math.Pow(0.1, 1.0 / 114), MissRateGuarantee.UpperBound(0, 114, 0.1), 12);

    [Fact]
    public void ClopperPearsonBoundMatchesTheBinomialTail()
    {
        // 3 misses in 200 at δ = 0.05: the bound p solves P(X ≤ 3 | n = 200, p) = 0.05.
        var p = MissRateGuarantee.UpperBound(3, 200, 0.05);
        var tail = Enumerable.Range(0, 4).Sum(k => MathNet.Numerics.Distributions.Binomial.PMF(p, 200, k));
        Assert.Equal(0.05, tail, 9);
    }

    [Fact]
    public void CertifiedMissRateHoldsOnFreshDataAtLeastOneMinusDeltaOfTheTime()
    {
        // Scores with a known relation to the outcome: P(needed | s) = s. Repeat calibration on fresh samples and check
        // how often the true miss rate of the chosen threshold exceeds α; it must be at most δ (plus sampling slack).
        const double alpha = 0.05, delta = 0.1;
        var sampler = new Sampler(3);
        var violations = 0;
        const int runs = 200;
        for (var run = 0; run < runs; run++)
        {
            var scores = Enumerable.Range(0, 1000).Select(_ => Math.Pow(sampler.Uniform(), 3)).ToArray();
            var labels = scores.Select(s => sampler.Chance(s)).ToArray();
            var threshold = MissRateGuarantee.Choose(scores, labels, alpha, delta).Threshold;
            // True miss rate below threshold t of s = u³ (u uniform): E[s | s < t] = t/4.
            if (threshold / 4 > alpha)
                violations++;
        }
        Assert.True(violations <= runs * (delta + 0.05), $"{violations} of {runs} runs broke the guarantee");
    }

    [Fact]
    public void TooFewOrdersToCertifySaysRoughlyHowManyWouldAndThatManyDo()
    {
        // P(needed | s) = s with s = u³: the miss rate below a threshold t is t/4, so α = 5% is reachable with data.
        static (double[] Scores, bool[] Labels) Draw(int n, int seed)
        {
            var sampler = new Sampler(seed);
            var scores = Enumerable.Range(0, n).Select(_ => Math.Pow(sampler.Uniform(), 3)).ToArray();
            return (scores, scores.Select(s => sampler.Chance(s)).ToArray());
        }
        var (few, fewLabels) = Draw(60, 5);

        var small = MissRateGuarantee.Choose(few, fewLabels, 0.05, 0.1);
        var needed = MissRateGuarantee.OrdersNeeded(few, fewLabels, 0.05, 0.1);

        Assert.False(small.Certified);
        Assert.NotNull(needed);
        Assert.InRange(needed!.Value, 61, 60_000);
        // With twice the estimate drawn from the same process, α is certified, resting on more orders than it said.
        var (many, manyLabels) = Draw((int)needed.Value * 2, 6);
        var large = MissRateGuarantee.Choose(many, manyLabels, 0.05, 0.1);
        Assert.True(large.Certified);
        Assert.True(large.MissRateUpperBound <= 0.05);
        Assert.True(large.RoutedPast >= MissRateGuarantee.TestedFrom(0.05, 0.1));
    }

    [Fact]
    public void NoAmountOfOrdersCertifiesAnAlphaBelowTheMissRateOfEvenTheSurestOrders()
    {
        // Scores that know nothing: 30% need review whatever the score.
        var sampler = new Sampler(8);
        var scores = Enumerable.Range(0, 5000).Select(_ => sampler.Uniform()).ToArray();
        var labels = scores.Select(_ => sampler.Chance(0.3)).ToArray();

        Assert.False(MissRateGuarantee.Choose(scores, labels, 0.05, 0.1).Certified);
        Assert.Null(MissRateGuarantee.OrdersNeeded(scores, labels, 0.05, 0.1));
        Assert.InRange(MissRateGuarantee.SmallestCertifiableAlpha(scores, labels, 0.1)!.Value, 0.29, 0.40);
    }

    [Fact]
    public void NothingCertifiableMeansReviewEverything()
    {
        var c = MissRateGuarantee.Choose([0.5, 0.6, 0.7], [true, true, false], 0.01, 0.1);
        Assert.False(c.Certified);
        Assert.Equal(0, c.Threshold);
        Assert.Equal(1, c.ReviewShare);
    }

    [Fact]
    public void PlattScalingRecoversTheGeneratingCurve()
    {
        var sampler = new Sampler(9);
        var scores = Enumerable.Range(0, 20_000).Select(_ => sampler.Uniform(-4, 4)).ToArray();
        var labels = scores.Select(s => sampler.Chance(1 / (1 + Math.Exp(-(1.5 * s - 0.5))))).ToArray();

        var platt = PlattScaling.Fit(scores, labels);

        // p = 1/(1 + exp(a·s + b)) with a = −1.5, b = 0.5.
        Assert.Equal(-1.5, platt.A, 1);
        Assert.Equal(0.5, platt.B, 1);
    }

    [Fact]
    public void AucAndAveragePrecisionOnAHandCheckedExample()
    {
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.5];
        bool[] labels = [true, false, true, false, false];
        // Positives at ranks 1 and 3: 5 of the 6 positive–negative pairs are ordered right.
        Assert.Equal(5.0 / 6, RankingMetrics.Auc(scores, labels), 12);
        // Precision at the positives: 1/1 and 2/3.
        Assert.Equal((1 + 2.0 / 3) / 2, RankingMetrics.AveragePrecision(scores, labels), 12);
        Assert.Equal(0.5, RankingMetrics.RecallAtBudget(scores, labels, 2), 12);
    }

    [Fact]
    public void PopulationStabilityOfAHandCheckedShift()
    {
        // Two categories, 50/50 at training and 80/20 now: (0.8 − 0.5)·ln(0.8/0.5) + (0.2 − 0.5)·ln(0.2/0.5).
        var expected = Enumerable.Repeat("a", 50).Concat(Enumerable.Repeat("b", 50)).ToList();
        var actual = Enumerable.Repeat("a", 80).Concat(Enumerable.Repeat("b", 20)).ToList();
        Assert.Equal(0.3 * Math.Log(1.6) - 0.3 * Math.Log(0.4), PopulationStability.Categorical(expected, actual), 12);
        // The same numeric distribution is stable; a shifted one is not.
        var values = Enumerable.Range(0, 1000).Select(i => (double)i).ToList();
        Assert.Equal(0, PopulationStability.Numeric(values, values), 12);
        Assert.True(PopulationStability.Numeric(values, values.Select(v => v + 500).ToList()) > 0.25);
    }
}
