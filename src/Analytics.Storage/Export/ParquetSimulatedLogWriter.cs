using System.Threading.Channels;
using Analytics.Core.Simulation;
using Parquet;
using Parquet.Schema;

namespace Analytics.Storage.Export;

/// <summary>
/// The simulated log as Parquet: typed columns (timestamps as UTC microseconds, amounts as doubles, flags as booleans),
/// written in row groups of 100,000 events by a background task while the simulation goes on.
/// </summary>
internal sealed class ParquetSimulatedLogWriter : SimulatedLogWriter
{
    private const int RowGroup = 100_000;
    private static readonly DataField<string> CaseId = new("case_id");
    private static readonly DataField<string> Activity = new("activity");
    private static readonly DateTimeDataField Timestamp = new("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
    private static readonly DataField<string> Resource = new("resource");
    private static readonly DataField<string> Role = new("role");
    private static readonly DataField<double> Amount = new("order_amount");
    private static readonly DataField<double> ListPrice = new("list_price");
    private static readonly DataField<double> FloorPrice = new("floor_price");
    private static readonly DataField<double> Discount = new("discount_pct");
    private static readonly DataField<string> ProductLine = new("product_line");
    private static readonly DataField<bool> Controlled = new("controlled");
    private static readonly DataField<string> Segment = new("customer_segment");
    private static readonly DataField<string> Industry = new("industry");
    private static readonly DataField<string> Region = new("region");
    private static readonly DataField<string> SalesRep = new("sales_rep");
    private static readonly DataField<string> ChannelField = new("channel");
    private static readonly DataField<bool> Competitor = new("competitor_present");
    private static readonly DataField<string> BidStatus = new("bid_status");
    private static readonly DateTimeDataField ContractDate = new("contract_date", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
    private static readonly DataField<string> Note = new("note");

    private readonly string _path;
    private readonly FileStream _file;
    private readonly Channel<List<SimulatedEvent>> _batches = Channel.CreateBounded<List<SimulatedEvent>>(2);
    private readonly Task _writer;
    private List<SimulatedEvent> _current = new(RowGroup);

    public ParquetSimulatedLogWriter(string path, string? truthPath) : base(truthPath)
    {
        _path = path;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        _writer = Task.Run(WriteAllAsync);
    }

    public override void Record(SimulatedEvent e)
    {
        _current.Add(e);
        if (_current.Count < RowGroup)
            return;
        // The simulation runs on its own thread; waiting here bounds memory to a few row groups.
        while (!_batches.Writer.TryWrite(_current))
            _batches.Reader.Completion.Wait(10);
        _current = new List<SimulatedEvent>(RowGroup);
    }

    public override async Task CompleteAsync()
    {
        if (_current.Count > 0)
            await _batches.Writer.WriteAsync(_current);
        _batches.Writer.Complete();
        await _writer;
        WriteMapping(_path);
        await base.CompleteAsync();
    }

    private async Task WriteAllAsync()
    {
        var schema = new ParquetSchema(CaseId, Activity, Timestamp, Resource, Role, Amount, ListPrice, FloorPrice, Discount, ProductLine, Controlled,
            Segment, Industry, Region, SalesRep, ChannelField, Competitor, BidStatus, ContractDate, Note);
        await using var writer = await ParquetWriter.CreateAsync(schema, _file);
        await foreach (var batch in _batches.Reader.ReadAllAsync())
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(CaseId, batch.Select(e => e.Order.CaseId).ToArray());
            await group.WriteAsync(Activity, batch.Select(e => e.Activity).ToArray());
            await group.WriteAsync(Timestamp, new ReadOnlyMemory<DateTime>(batch.Select(e => e.Utc).ToArray()));
            await group.WriteAsync(Resource, batch.Select(e => e.Resource).ToArray());
            await group.WriteAsync(Role, batch.Select(e => e.Role).ToArray());
            await group.WriteAsync(Amount, new ReadOnlyMemory<double>(batch.Select(e => e.Order.Amount).ToArray()));
            await group.WriteAsync(ListPrice, new ReadOnlyMemory<double>(batch.Select(e => e.Order.ListPrice).ToArray()));
            await group.WriteAsync(FloorPrice, new ReadOnlyMemory<double>(batch.Select(e => e.Order.FloorPrice).ToArray()));
            await group.WriteAsync(Discount, new ReadOnlyMemory<double>(batch.Select(e => e.Order.DiscountPct).ToArray()));
            await group.WriteAsync(ProductLine, batch.Select(e => e.Order.ProductLine).ToArray());
            await group.WriteAsync(Controlled, new ReadOnlyMemory<bool>(batch.Select(e => e.Order.Controlled).ToArray()));
            await group.WriteAsync(Segment, batch.Select(e => e.Order.Segment).ToArray());
            await group.WriteAsync(Industry, batch.Select(e => e.Order.Industry).ToArray());
            await group.WriteAsync(Region, batch.Select(e => e.Order.Region).ToArray());
            await group.WriteAsync(SalesRep, batch.Select(e => e.Order.SalesRep).ToArray());
            await group.WriteAsync(ChannelField, batch.Select(e => e.Order.Channel).ToArray());
            await group.WriteAsync(Competitor, new ReadOnlyMemory<bool>(batch.Select(e => e.Order.CompetitorPresent).ToArray()));
            await group.WriteAsync(BidStatus, batch.Select(e => e.Order.BidStatus).ToArray());
            await group.WriteAsync(ContractDate, new ReadOnlyMemory<DateTime>(batch.Select(e => e.Order.ContractDateUtc).ToArray()));
            await group.WriteAsync(Note, batch.Select(e => e.Note).ToArray());
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _file.Dispose();
        base.Dispose(disposing);
    }
}
