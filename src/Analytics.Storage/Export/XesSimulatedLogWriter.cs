using System.Security;
using System.Text;
using Analytics.Core.Simulation;

namespace Analytics.Storage.Export;

/// <summary>The simulated log as IEEE 1849 XES: a case's events are held until the case ends, then written as one trace.</summary>
internal sealed class XesSimulatedLogWriter : SimulatedLogWriter
{
    private readonly StreamWriter _out;
    private readonly Dictionary<Order, List<SimulatedEvent>> _open = [];

    public XesSimulatedLogWriter(string path, string? truthPath) : base(truthPath)
    {
        _out = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        _out.Write("""
            <?xml version="1.0" encoding="UTF-8" ?>
            <log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">
              <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
              <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
              <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
              <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
              <string key="concept:name" value="Special-price approvals (simulated)"/>

            """);
    }

    public override void Record(SimulatedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_open.TryGetValue(e.Order, out var events))
            _open[e.Order] = events = [];
        events.Add(e);
    }

    public override void CaseCompleted(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var events = _open.Remove(order, out var list) ? list : [];
        var o = order;
        _out.Write("  <trace>\n");
        Attr("string", "concept:name", o.CaseId);
        Attr("float", "order_amount", Number(o.Amount));
        Attr("float", "list_price", Number(o.ListPrice));
        Attr("float", "floor_price", Number(o.FloorPrice));
        Attr("float", "discount_pct", Number(o.DiscountPct));
        Attr("string", "product_line", o.ProductLine);
        Attr("boolean", "controlled", Bool(o.Controlled));
        Attr("string", "customer_segment", o.Segment);
        Attr("string", "industry", o.Industry);
        Attr("string", "region", o.Region);
        Attr("string", "sales_rep", o.SalesRep);
        Attr("string", "channel", o.Channel);
        Attr("boolean", "competitor_present", Bool(o.CompetitorPresent));
        Attr("string", "bid_status", o.BidStatus);
        Attr("date", "contract_date", Instant(o.ContractDateUtc));
        foreach (var e in events)
        {
            _out.Write("    <event>\n");
            Attr("string", "concept:name", e.Activity, 6);
            Attr("date", "time:timestamp", Instant(e.Utc), 6);
            if (e.Resource is not null)
                Attr("string", "org:resource", e.Resource, 6);
            Attr("string", "org:role", e.Role, 6);
            Attr("string", "lifecycle:transition", "complete", 6);
            if (e.Note is not null)
                Attr("string", "note", e.Note, 6);
            _out.Write("    </event>\n");
        }
        _out.Write("  </trace>\n");
        base.CaseCompleted(order);
    }

    private void Attr(string type, string key, string value, int indent = 4)
    {
        _out.Write(new string(' ', indent));
        _out.Write($"<{type} key=\"{SecurityElement.Escape(key)}\" value=\"{SecurityElement.Escape(value)}\"/>\n");
    }

    public override Task CompleteAsync()
    {
        _out.Write("</log>\n");
        _out.Flush();
        return base.CompleteAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _out.Dispose();
        base.Dispose(disposing);
    }
}
