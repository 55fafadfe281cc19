using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Storage.Mining;
using Analytics.Storage.Tests.Ingestion;
using Analytics.Testing;

namespace Analytics.Storage.Tests.Mining;

/// <summary>The one-pass weekly facts agree, week by week, with the per-week mining queries they replace.</summary>
public sealed class WeeklyFactsTests : IDisposable
{
    private readonly EventStore _store = EventStore.Open(":memory:");

    public WeeklyFactsTests() => Load.File(_store, Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"));

    public void Dispose() => _store.Dispose();

    [Fact]
    public void EightWeeksOfFactsEqualThePerWeekQueries()
    {
        var miner = new ProcessMiner(_store);
        var calendar = BuiltInCalendars.CnShanghai;
        var end = new DateTime(2025, 3, 9, 16, 0, 0, DateTimeKind.Utc); // end of 2025-W10 in Shanghai
        var ends = Enumerable.Range(0, 8).Reverse().Select(k => end.AddDays(-7 * k)).ToList();

        var facts = miner.WeeklyFacts(end.AddDays(-56), end, calendar, "PM %", "%reject%", ends);

        for (var i = 0; i < ends.Count; i++)
        {
            var (from, to) = (ends[i].AddDays(-7), ends[i]);
            var completed = new MiningFilter { EndedFromUtc = from, EndedToUtc = to };
            Assert.Equal(miner.CaseCount(new MiningFilter { FromUtc = from, ToUtc = to }), facts.Starts.Count(t => t >= from && t < to));
            var expected = miner.CaseThroughputs(completed, calendar).Select(t => t.Seconds).Order().ToList();
            var actual = facts.Completed.Where(c => c.EndedUtc >= from && c.EndedUtc < to).ToList();
            Assert.Equal(expected.Count, actual.Count);
            Assert.All(expected.Zip(actual.Select(c => c.BusinessSeconds).Order()), p => Assert.Equal(p.First, p.Second, 6));
            Assert.Equal(miner.OpenCases(to, int.MaxValue).Select(c => c.FirstUtc).Order(), facts.OpenAt[i].Order());
            if (expected.Count == 0)
                continue;
            var rework = miner.Rework(completed);
            Assert.Equal(rework.CasesWithRework, actual.Count(c => c.Reworked));
            Assert.Equal(rework.CasesWithRejection, actual.Count(c => c.Rejected));
            Assert.Equal(rework.FirstPassYield, actual.Count(c => !c.Reworked && !c.Rejected) / (double)actual.Count, 12);
            Assert.Equal(miner.CasesVisiting(completed, "PM %").Count(v => v.Visited), actual.Count(c => c.VisitedReview));
        }
        Assert.True(facts.Completed.Count > 100);
    }
}
