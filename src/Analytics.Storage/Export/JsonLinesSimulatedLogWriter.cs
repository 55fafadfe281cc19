using System.Text.Json;
using Analytics.Core.Simulation;

namespace Analytics.Storage.Export;

/// <summary>The simulated log as JSON Lines: one object per event, case attributes typed.</summary>
internal sealed class JsonLinesSimulatedLogWriter : SimulatedLogWriter
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly string _path;

    public JsonLinesSimulatedLogWriter(string path, string? truthPath) : base(truthPath)
    {
        _path = path;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public override void Record(SimulatedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var o = e.Order;
        _json.WriteStartObject();
        _json.WriteString("case_id", o.CaseId);
        _json.WriteString("activity", e.Activity);
        _json.WriteString("timestamp", Instant(e.Utc));
        if (e.Resource is null) _json.WriteNull("resource"); else _json.WriteString("resource", e.Resource);
        _json.WriteString("role", e.Role);
        _json.WriteNumber("order_amount", o.Amount);
        _json.WriteNumber("list_price", o.ListPrice);
        _json.WriteNumber("floor_price", o.FloorPrice);
        _json.WriteNumber("discount_pct", o.DiscountPct);
        _json.WriteString("product_line", o.ProductLine);
        _json.WriteBoolean("controlled", o.Controlled);
        _json.WriteString("customer_segment", o.Segment);
        _json.WriteString("industry", o.Industry);
        _json.WriteString("region", o.Region);
        _json.WriteString("sales_rep", o.SalesRep);
        _json.WriteString("channel", o.Channel);
        _json.WriteBoolean("competitor_present", o.CompetitorPresent);
        _json.WriteString("bid_status", o.BidStatus);
        _json.WriteString("contract_date", Instant(o.ContractDateUtc));
        if (e.Note is not null)
            _json.WriteString("note", e.Note);
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _file.WriteByte((byte)'\n');
    }

    public override Task CompleteAsync()
    {
        _file.Flush();
        WriteMapping(_path);
        return base.CompleteAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _json.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
