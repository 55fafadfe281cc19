using Analytics.Core.Calendars;
using Analytics.Core.Simulation;
using Analytics.Core.WhatIf;
using Xunit.Abstractions;

namespace Analytics.Core.Tests.WhatIf;

/// <summary>
/// Pool discovery against the demo generator's truth on three structures: one pool per role; regional manager pools
/// per region and PM pools per product line (with an order-desk system account and approvers' own hours); approvers
/// keeping up to three orders open. At least 90% of resources must land in their true pool, and each pool's
/// multitasking must be estimated within ±0.5 orders.
/// </summary>
public sealed class PoolDiscoveryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("standard", 1)]
    [InlineData("segmented", 1)]
    [InlineData("multitasking", 1)]
    [InlineData("standard", 2)]
    [InlineData("segmented", 2)]
    [InlineData("multitasking", 2)]
    public void PoolsAndMultitaskingMatchTheTruth(string structure, int seed)
    {
        var model = DemoStructures.Apply(new ApprovalProcessModel { Orders = 40_000, Seed = seed }, structure);
        // "Bid won" is the CRM's, beside the approval flow: left out as the what-if analysis is told to.
        var traces = SimulatedTraces.Generate(model, out var truth)
            .Select(t => t with { Events = [.. t.Events.Where(e => e.Activity != "Bid won")] }).ToList();
        var process = ProcessCalibrator.Calibrate(traces, new CalibrationOptions { Calendar = BuiltInCalendars.CnShanghai });
        var placed = 0;
        var total = 0;
        foreach (var pool in process.ServerPools)
        {
            output.WriteLine($"{pool.Name}: {pool.Members.Count} members, size {pool.Size}, multitasking {pool.Multitasking}; {pool.Evidence}");
            foreach (var m in pool.Members)
            {
                total++;
                if (truth.TryGetValue(m, out var own) && own == pool.Name)
                    placed++;
            }
            var spec = model.Pools.Single(p => p.Role == pool.Role);
            Assert.InRange(pool.Multitasking, spec.Multitasking - 0.5, spec.Multitasking + 0.5);
        }
        output.WriteLine($"{placed} of {total} resources in their true pool");
        Assert.Equal(truth.Count, total);
        Assert.True(placed >= 0.9 * truth.Count, $"{placed} of {truth.Count} resources in their true pool");
        // The order desk is a system account: a delay, not a pool.
        if (model.OrderDesk)
            Assert.DoesNotContain(process.ServerPools, p => p.Role == "ORDER_DESK");
    }
}
