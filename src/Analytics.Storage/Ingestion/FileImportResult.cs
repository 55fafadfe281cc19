namespace Analytics.Storage.Ingestion;

/// <summary>How loading one file ended.</summary>
public enum ImportStatus
{
    /// <summary>The file's rows are in the store.</summary>
    Loaded,
    /// <summary>A file with the same content was loaded before; nothing changed.</summary>
    SkippedDuplicate,
    /// <summary>The file was refused whole; nothing changed. <see cref="FileImportResult.Reason"/> says why.</summary>
    Rejected,
}

/// <summary>The outcome of loading one file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Status">Loaded, skipped as a duplicate, or rejected.</param>
/// <param name="RowsRead">Event rows read from the file (quarantined included).</param>
/// <param name="Events">Events added to the store.</param>
/// <param name="Cases">Cases added to the store.</param>
/// <param name="Quarantined">Rows put aside with a reason.</param>
/// <param name="Overlapping">Events already in the store from another file, not added again.</param>
/// <param name="Reason">Why the file was rejected or skipped; <c>null</c> when loaded.</param>
public sealed record FileImportResult(
    string Path, ImportStatus Status, long RowsRead, long Events, long Cases, long Quarantined, long Overlapping, string? Reason)
{
    /// <summary>A refused file: nothing was stored.</summary>
    public static FileImportResult Rejected(string path, string reason) => new(path, ImportStatus.Rejected, 0, 0, 0, 0, 0, reason);

    /// <summary>The file's number in the store (<c>files.file_id</c>) when loaded.</summary>
    public int? FileId { get; init; }
}
