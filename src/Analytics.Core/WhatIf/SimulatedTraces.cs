using System.Globalization;
using Analytics.Core.Simulation;

namespace Analytics.Core.WhatIf;

/// <summary>
/// Runs the demo simulator and keeps its log in memory as case traces, the way the store would return them: events
/// in time order, exact duplicates dropped, with the order's attributes. For tests and benchmarks of the what-if
/// analysis where the truth is known.
/// </summary>
public static class SimulatedTraces
{
    /// <summary>Runs the model to the end.</summary>
    public static List<CaseTrace> Generate(ApprovalProcessModel model, CancellationToken cancellationToken = default) =>
        Generate(model, out _, cancellationToken);

    /// <summary>Runs the model to the end and also tells every approver's true pool (<c>ROLE</c> or <c>ROLE/value</c>).</summary>
    public static List<CaseTrace> Generate(ApprovalProcessModel model, out IReadOnlyDictionary<string, string> approverPools, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sink = new Sink();
        var simulator = new ApprovalSimulator(model);
        simulator.Run(sink, cancellationToken);
        approverPools = simulator.ApproverPools;
        sink.Traces.Sort((a, b) => a.Events[0].Utc.CompareTo(b.Events[0].Utc));
        return sink.Traces;
    }

    private sealed class Sink : ISimulationSink
    {
        private readonly Dictionary<string, List<TraceEvent>> _open = [];

        public List<CaseTrace> Traces { get; } = [];

        public void Record(SimulatedEvent e)
        {
            if (!_open.TryGetValue(e.Order.CaseId, out var list))
                _open[e.Order.CaseId] = list = [];
            var t = new TraceEvent(e.Activity, e.Utc, e.Resource, e.Role);
            if (!list.Contains(t))
                list.Add(t);
        }

        public void CaseCompleted(Order order)
        {
            var events = _open[order.CaseId].OrderBy(e => e.Utc).ToList();
            _open.Remove(order.CaseId);
            Traces.Add(new CaseTrace(order.CaseId, events)
            {
                Attributes = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["order_amount"] = order.Amount.ToString("R", CultureInfo.InvariantCulture),
                    ["discount_pct"] = order.DiscountPct.ToString("R", CultureInfo.InvariantCulture),
                    ["controlled"] = order.Controlled ? "true" : "false",
                    ["product_line"] = order.ProductLine,
                    ["region"] = order.Region,
                    ["customer_segment"] = order.Segment,
                },
            });
        }
    }
}
