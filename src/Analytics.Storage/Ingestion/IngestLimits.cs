using System.Globalization;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// Bounds on what one file may cost, so that a small hostile file (a gzip of zeros, an attribute of a gigabyte) is
/// refused with a clear reason instead of filling memory or disk. Each refusal names the file, the limit and the
/// setting that raises it.
/// </summary>
public sealed record IngestLimits
{
    /// <summary>Longest XML tag (an XES element with its attributes), bytes. Setting <c>Analytics:MaxElementBytes</c>.</summary>
    public long MaxElementBytes { get; init; } = 64L << 20;

    /// <summary>Longest line of a JSON Lines file or record of a CSV, bytes. Setting <c>Analytics:MaxLineBytes</c>.</summary>
    public long MaxLineBytes { get; init; } = 64L << 20;

    /// <summary>Most bytes a compressed file may expand to. Setting <c>Analytics:MaxDecompressedBytes</c>.</summary>
    public long MaxDecompressedBytes { get; init; } = 64L << 30;

    /// <summary>Largest ratio of decompressed to compressed bytes, checked once 64 MiB have come out. Setting <c>Analytics:MaxCompressionRatio</c>.</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>Most bytes of temporary copy one file may write (a CSV is copied once, numbered). Setting <c>Analytics:MaxTempBytes</c>.</summary>
    public long MaxTempBytes { get; init; } = 64L << 30;

    /// <summary>Free space the temporary folder's disk must keep while a copy is written, bytes (1 GiB).</summary>
    public long MinFreeTempBytes { get; init; } = 1L << 30;

    /// <summary>Longest a single file may take to load, seconds; 0 for no bound. Setting <c>Analytics:MaxSecondsPerFile</c>.</summary>
    public double MaxSecondsPerFile { get; init; } = 3600;

    /// <summary>Throws when decompression has gone past a bound.</summary>
    /// <param name="produced">Bytes out so far.</param>
    /// <param name="consumed">Compressed bytes in so far.</param>
    public void CheckDecompressed(long produced, long consumed)
    {
        if (produced > MaxDecompressedBytes)
            throw new LimitExceededException($"it decompresses to more than {Bytes(MaxDecompressedBytes)}", "Analytics:MaxDecompressedBytes");
        if (produced > 64L << 20 && produced > MaxCompressionRatio * Math.Max(1, consumed))
            throw new LimitExceededException(
                string.Create(CultureInfo.InvariantCulture, $"it decompresses more than {MaxCompressionRatio:0}-fold ({Bytes(produced)} from {Bytes(consumed)} so far), as a zip bomb does"),
                "Analytics:MaxCompressionRatio");
    }

    /// <summary>Throws when a temporary copy has gone past its budget or its disk is nearly full.</summary>
    /// <param name="written">Bytes of the copy so far.</param>
    /// <param name="folder">The folder of the copy.</param>
    public void CheckTemp(long written, string folder)
    {
        if (written > MaxTempBytes)
            throw new LimitExceededException($"its temporary copy grows past {Bytes(MaxTempBytes)}", "Analytics:MaxTempBytes");
        var free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        if (free < MinFreeTempBytes)
            throw new LimitExceededException(
                $"the disk of the temporary folder {folder} has {Bytes(free)} free, less than the {Bytes(MinFreeTempBytes)} kept free (its copy had reached {Bytes(written)})",
                "TMPDIR (a folder on a larger disk) or Analytics:MaxTempBytes");
    }

    /// <summary>A byte count for people.</summary>
    public static string Bytes(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB");
}

/// <summary>A file went past one of the <see cref="IngestLimits"/>; the message says which, and the setting that raises it.</summary>
public sealed class LimitExceededException : IOException
{
    /// <summary>Creates the exception.</summary>
    public LimitExceededException() { }

    /// <summary>Creates the exception with a message.</summary>
    public LimitExceededException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LimitExceededException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a limit and its setting.</summary>
    public LimitExceededException(string what, string setting) : base($"{what}; refused to protect memory and disk (raise {setting} if the file is genuine)") { }
}
