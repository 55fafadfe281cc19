namespace Analytics.Storage.Ingestion;

/// <summary>The source formats the loader reads.</summary>
public enum LogFormat
{
    /// <summary>IEEE 1849 XES, plain or gzip-compressed.</summary>
    Xes,
    /// <summary>Delimited text with a header row, plain or gzip-compressed.</summary>
    Csv,
    /// <summary>Apache Parquet.</summary>
    Parquet,
    /// <summary>One JSON object per line, plain or gzip-compressed.</summary>
    JsonLines,
}

/// <summary>Recognises a file's format from its name.</summary>
public static class LogFormats
{
    /// <summary>The format named by the file's extension (<c>.xes</c>, <c>.xes.gz</c>, <c>.csv</c>, <c>.tsv</c>, <c>.parquet</c>, <c>.jsonl</c>, <c>.ndjson</c>, each optionally <c>.gz</c> except Parquet).</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format.</param>
    /// <returns><c>false</c> for an extension the loader does not read.</returns>
    public static bool TryDetect(string path, out LogFormat format)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal))
            name = name[..^3];
        (var ok, format) = Path.GetExtension(name) switch
        {
            ".xes" => (true, LogFormat.Xes),
            ".csv" or ".tsv" or ".txt" => (true, LogFormat.Csv),
            ".parquet" => (true, LogFormat.Parquet),
            ".jsonl" or ".ndjson" => (true, LogFormat.JsonLines),
            _ => (false, LogFormat.Csv),
        };
        return ok;
    }
}
