namespace Analytics.Storage;

/// <summary>
/// The database file cannot be opened: another process holds its lock, or the file is not a DuckDB database
/// of a version this build can read. The message names the file and, where DuckDB reports it, the holder.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StoreUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
