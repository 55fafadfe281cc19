using Analytics.Storage.Ingestion;

namespace Analytics.Benchmarks;

/// <summary>Counts rows and stores nothing: isolates a reader's own cost.</summary>
internal sealed class CountingSink : IStagingSink
{
    public long Events { get; private set; }

    public void AddEvent(long seq, long line, string? caseId, string? activity, DateTime? utc, string? timestampText,
        string? resource, string? role, string? lifecycle, string? attributesJson, string? problem) => Events++;

    public void AddCase(string caseId, long seq) { }

    public void AddCaseAttribute(string caseId, string key, CaseAttributeValue value, long seq) { }
}
