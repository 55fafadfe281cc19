namespace Analytics.Storage.Ingestion;

/// <summary>Receives the rows a streaming reader produces.</summary>
internal interface IStagingSink
{
    /// <summary>One event row. Exactly one of <paramref name="utc"/> and <paramref name="timestampText"/> is set unless the timestamp is missing.</summary>
    void AddEvent(long seq, long line, string? caseId, string? activity, DateTime? utc, string? timestampText,
        string? resource, string? role, string? lifecycle, string? attributesJson, string? problem);

    /// <summary>A case (trace) seen in the file, with or without events.</summary>
    void AddCase(string caseId, long seq);

    /// <summary>A typed attribute of a case.</summary>
    void AddCaseAttribute(string caseId, string key, CaseAttributeValue value, long seq);
}
