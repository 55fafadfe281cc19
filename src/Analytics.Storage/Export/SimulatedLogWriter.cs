using System.Globalization;
using System.Text;
using Analytics.Core.Simulation;

namespace Analytics.Storage.Export;

/// <summary>
/// Writes a simulated approval log as it is produced: CSV, JSON Lines, XES or Parquet, plus the ground truth per
/// order in a separate CSV (never in the log). For tabular formats a column mapping is written beside the log
/// (<c>NAME.mapping.json</c>), so <c>analytics ingest</c> reads it without options.
/// </summary>
public abstract class SimulatedLogWriter : ISimulationSink, IDisposable
{
    /// <summary>Case attribute columns, in order.</summary>
    protected static readonly string[] CaseColumns =
    [
        "order_amount", "list_price", "floor_price", "discount_pct", "product_line", "controlled", "customer_segment", "industry",
        "region", "sales_rep", "channel", "competitor_present", "bid_status", "contract_date",
    ];

    private readonly StreamWriter? _truth;

    /// <summary>Creates the writer; the truth file is optional.</summary>
    protected SimulatedLogWriter(string? truthPath)
    {
        if (truthPath is null)
            return;
        _truth = new StreamWriter(truthPath, false, new UTF8Encoding(false), 1 << 16);
        _truth.WriteLine("case_id,controlled,pm_review_needed,pm_review_probability,routed_to_pm,outcome,ended_at,defects");
    }

    /// <summary>Opens the writer for a format: csv, jsonl, xes or parquet.</summary>
    public static SimulatedLogWriter Create(string format, string path, string? truthPath) => format switch
    {
        "csv" => new CsvSimulatedLogWriter(path, truthPath),
        "jsonl" => new JsonLinesSimulatedLogWriter(path, truthPath),
        "xes" => new XesSimulatedLogWriter(path, truthPath),
        "parquet" => new ParquetSimulatedLogWriter(path, truthPath),
        _ => throw new ArgumentException($"unknown format '{format}' (csv, parquet, xes, jsonl)", nameof(format)),
    };

    /// <inheritdoc />
    public abstract void Record(SimulatedEvent e);

    /// <inheritdoc />
    public virtual void CaseCompleted(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        _truth?.WriteLine(string.Join(',',
            order.CaseId, Bool(order.Controlled), Bool(order.PmReviewNeeded), order.PmReviewProbability.ToString("0.####", CultureInfo.InvariantCulture),
            Bool(order.RoutedToPm), order.Outcome, order.EndedUtc is { } e ? Instant(e) : "", string.Join(';', order.Defects.Distinct())));
    }

    /// <summary>Writes what is buffered and the mapping file.</summary>
    public virtual Task CompleteAsync()
    {
        _truth?.Flush();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases files.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            _truth?.Dispose();
    }

    /// <summary>The case attribute values of an order, as text, in <see cref="CaseColumns"/> order.</summary>
    protected static string[] CaseValues(Order o) =>
    [
        Number(o.Amount), Number(o.ListPrice), Number(o.FloorPrice), Number(o.DiscountPct), o.ProductLine, Bool(o.Controlled), o.Segment,
        o.Industry, o.Region, o.SalesRep, o.Channel, Bool(o.CompetitorPresent), o.BidStatus, Instant(o.ContractDateUtc),
    ];

    /// <summary>An instant as Asia/Shanghai local time with its offset, as the source systems export it.</summary>
    protected static string Instant(DateTime utc) =>
        new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>A number in invariant culture.</summary>
    protected static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>true or false.</summary>
    protected static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Writes <c>NAME.mapping.json</c> beside a tabular log.</summary>
    protected static void WriteMapping(string logPath)
    {
        var name = Path.GetFileName(logPath);
        var stem = name[..name.IndexOf('.', StringComparison.Ordinal)];
        var mapping = $$"""
            {
              "caseId": "case_id", "activity": "activity", "timestamp": "timestamp", "resource": "resource", "role": "role", "lifecycle": null,
              "caseAttributes": [{{string.Join(", ", CaseColumns.Select(c => "\"" + c + "\""))}}],
              "timeZone": "Asia/Shanghai"
            }
            """;
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(logPath))!, stem + ".mapping.json"), mapping + Environment.NewLine);
    }
}
