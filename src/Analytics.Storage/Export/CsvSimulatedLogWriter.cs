using System.Text;
using Analytics.Core.Simulation;

namespace Analytics.Storage.Export;

/// <summary>The simulated log as CSV: one row per event with the case's attributes repeated, RFC 4180 quoting.</summary>
internal sealed class CsvSimulatedLogWriter : SimulatedLogWriter
{
    private readonly StreamWriter _out;
    private readonly string _path;

    public CsvSimulatedLogWriter(string path, string? truthPath) : base(truthPath)
    {
        _path = path;
        _out = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        _out.WriteLine("case_id,activity,timestamp,resource,role," + string.Join(',', CaseColumns) + ",note");
    }

    public override void Record(SimulatedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        _out.Write(e.Order.CaseId);
        _out.Write(',');
        _out.Write(e.Activity);
        _out.Write(',');
        _out.Write(Instant(e.Utc));
        _out.Write(',');
        _out.Write(e.Resource);
        _out.Write(',');
        _out.Write(e.Role);
        foreach (var v in CaseValues(e.Order))
        {
            _out.Write(',');
            Field(v);
        }
        _out.Write(',');
        Field(e.Note ?? "");
        _out.Write('\n');
    }

    private void Field(string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            _out.Write(value);
            return;
        }
        _out.Write('"');
        _out.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        _out.Write('"');
    }

    public override Task CompleteAsync()
    {
        _out.Flush();
        WriteMapping(_path);
        return base.CompleteAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _out.Dispose();
        base.Dispose(disposing);
    }
}
