using System.Runtime.InteropServices;
using System.Text;
using Analytics.Core.Mining.Columnar;

namespace Analytics.Storage.Mining;

/// <summary>
/// A copy of a large store's columns beside its database file (<c>STORE.duckdb.columns</c>), so that a command run
/// from the shell reads them in a fraction of a second instead of having DuckDB sort the events again. It is a cache:
/// it names the store version it was made at and is ignored (and replaced) when the store has changed since, or when
/// it cannot be read; deleting it loses nothing. Written to a temporary name and renamed, so a reader never sees half
/// a file.
/// </summary>
internal static class EventColumnsFile
{
    /// <summary>Logs from this many events get a columns file (smaller ones are read from the store as fast).</summary>
    internal const int MinimumEvents = 1_000_000;

    private static readonly byte[] Magic = "ANCOLS01"u8.ToArray();

    /// <summary>The file beside <paramref name="storePath"/>.</summary>
    public static string PathOf(string storePath) => storePath + ".columns";

    /// <summary>The columns in the file if it was made at <paramref name="version"/>; otherwise <c>null</c>.</summary>
    public static EventColumns? TryRead(string storePath, string version) =>
        TryRead(storePath) is { } found && found.Version == version ? found.Columns : null;

    /// <summary>The columns in the file and the store version they were made at; <c>null</c> when there is no readable file.</summary>
    public static (string Version, EventColumns Columns)? TryRead(string storePath)
    {
        var path = PathOf(storePath);
        if (!File.Exists(path))
            return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                return null;
            var version = reader.ReadString();
            var cases = reader.ReadInt32();
            var events = reader.ReadInt32();
            var columns = new EventColumns(Array<int>(stream, cases + 1), Array<long>(stream, cases), Array<int>(stream, events),
                Array<long>(stream, events), Array<int>(stream, events), Array<int>(stream, events), Names(reader), Names(reader), Names(reader));
            columns.Validate();
            return (version, columns);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or ArgumentException or UnauthorizedAccessException or OverflowException)
        {
            // An unreadable cache is no cache: the columns are read from the store again.
            return null;
        }
    }

    /// <summary>Writes the columns for <paramref name="version"/>; a failure to write (full disk, read-only folder) leaves no file and is not an error.</summary>
    public static void Write(string storePath, string version, EventColumns columns)
    {
        var path = PathOf(storePath);
        var temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(version);
                writer.Write(columns.Cases);
                writer.Write(columns.Events);
                writer.Flush();
                stream.Write(MemoryMarshal.AsBytes(columns.CaseStarts.AsSpan()));
                stream.Write(MemoryMarshal.AsBytes(columns.CaseNumbers.AsSpan()));
                stream.Write(MemoryMarshal.AsBytes(columns.Activity.AsSpan()));
                stream.Write(MemoryMarshal.AsBytes(columns.Micros.AsSpan()));
                stream.Write(MemoryMarshal.AsBytes(columns.Resource.AsSpan()));
                stream.Write(MemoryMarshal.AsBytes(columns.Role.AsSpan()));
                foreach (var names in new[] { columns.ActivityNames, columns.ResourceNames, columns.RoleNames })
                {
                    writer.Write(names.Length);
                    foreach (var name in names)
                        writer.Write(name);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the next write replaces it.
            }
        }
    }

    private static T[] Array<T>(Stream stream, int length)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var values = new T[length];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static string[] Names(BinaryReader reader)
    {
        var n = reader.ReadInt32();
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var names = new string[n];
        for (var i = 0; i < n; i++)
            names[i] = reader.ReadString();
        return names;
    }
}
