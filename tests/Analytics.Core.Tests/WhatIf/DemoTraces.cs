using Analytics.Core.Simulation;
using Analytics.Core.WhatIf;

namespace Analytics.Core.Tests.WhatIf;

/// <summary>Runs the demo simulator and keeps its log as case traces (events in stable time order, exact duplicates dropped).</summary>
internal static class DemoTraces
{
    public static List<CaseTrace> Generate(ApprovalProcessModel model)
    {
        var sink = new Sink();
        new ApprovalSimulator(model).Run(sink, CancellationToken.None);
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
                Attributes = new Dictionary<string, string>
                {
                    ["order_amount"] = order.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["controlled"] = order.Controlled ? "true" : "false",
                },
            });
        }
    }
}
