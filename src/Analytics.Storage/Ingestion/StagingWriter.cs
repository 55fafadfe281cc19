using DuckDB.NET.Data;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// Appends rows read by a streaming reader into the session's temporary staging tables, from which
/// <see cref="EventLogLoader"/> validates and stores them in one transaction.
/// </summary>
internal sealed class StagingWriter : IStagingSink, IDisposable
{
    private readonly DuckDBAppender _events;
    private readonly DuckDBAppender _cases;
    private readonly DuckDBAppender _caseAttributes;

    public StagingWriter(DuckDBConnection connection)
    {
        _events = connection.CreateAppender("temp", "main", "stage");
        _cases = connection.CreateAppender("temp", "main", "stage_cases");
        _caseAttributes = connection.CreateAppender("temp", "main", "stage_case_attributes");
    }

    public long Rows { get; private set; }

    /// <summary>Adds one event row. Exactly one of <paramref name="utc"/> and <paramref name="timestampText"/> is set unless the timestamp is missing.</summary>
    public void AddEvent(long seq, long line, string? caseId, string? activity, DateTime? utc, string? timestampText,
        string? resource, string? role, string? lifecycle, string? attributesJson, string? problem)
    {
        var row = _events.CreateRow();
        row.AppendValue(seq).AppendValue(line).AppendValue(caseId).AppendValue(activity);
        if (utc is { } ts)
            row.AppendValue(new DateTimeOffset(ts, TimeSpan.Zero));
        else
            row.AppendNullValue();
        row.AppendValue(timestampText).AppendValue(resource).AppendValue(role).AppendValue(lifecycle)
            .AppendValue(attributesJson).AppendValue(problem).EndRow();
        Rows++;
    }

    public void AddCase(string caseId, long seq) => _cases.CreateRow().AppendValue(caseId).AppendValue(seq).EndRow();

    public void AddCaseAttribute(string caseId, string key, CaseAttributeValue value, long seq)
    {
        var row = _caseAttributes.CreateRow().AppendValue(caseId).AppendValue(key).AppendValue(value.Type).AppendValue(value.Text);
        if (value.Number is { } n) row.AppendValue(n); else row.AppendNullValue();
        if (value.Boolean is { } b) row.AppendValue(b); else row.AppendNullValue();
        if (value.Time is { } t) row.AppendValue(new DateTimeOffset(t, TimeSpan.Zero)); else row.AppendNullValue();
        row.AppendValue(seq).EndRow();
    }

    public void Dispose()
    {
        _events.Dispose();
        _cases.Dispose();
        _caseAttributes.Dispose();
    }
}
