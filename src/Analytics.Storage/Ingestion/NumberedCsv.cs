using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// Copies a CSV as UTF-8 with the line each record starts on as a new first column. DuckDB's parallel CSV reader
/// cannot say where a row came from; with this column every row carries its line, which orders a case's events that
/// share a timestamp and names the line of a quarantined row, even when quoted fields span several lines.
/// </summary>
/// <remarks>
/// Quoting follows RFC 4180 as DuckDB reads it: a quote opens a quoted field only at the start of a field, a doubled
/// quote inside one is a literal quote. Blank lines get no number (DuckDB skips them). A UTF-8 byte-order mark is
/// dropped. One pass, about as fast as the disk; the copy is as large as the file plus the numbers.
/// </remarks>
internal static class NumberedCsv
{
    /// <summary>The name of the added column in the header.</summary>
    public const string Column = "analytics_line__";

    private const int ChunkSize = 1 << 20;

    /// <summary>Copies <paramref name="input"/> (UTF-8) to <paramref name="output"/>, numbering records.</summary>
    /// <param name="input">The CSV, already decoded to UTF-8 and decompressed.</param>
    /// <param name="output">Receives the numbered copy.</param>
    /// <param name="delimiter">The field delimiter.</param>
    /// <param name="quote">The quote character (ASCII).</param>
    /// <param name="progress">Called now and then; may be null.</param>
    /// <param name="cancellationToken">Stops the copy.</param>
    /// <param name="checkUtf8">Refuse bytes that are not UTF-8 (the input was not transcoded from another encoding).</param>
    /// <param name="maxRecordBytes">The longest record allowed (quoted line breaks included), bytes.</param>
    /// <param name="checkWritten">Called with the bytes written so far every <paramref name="checkEvery"/> bytes (throws to stop: a temp-space budget).</param>
    /// <param name="checkEvery">How often <paramref name="checkWritten"/> is called, in bytes written (at most 64 MiB).</param>
    /// <returns>The number of records after the header, the longest record in bytes (the number column included), and the last line's number.</returns>
    /// <exception cref="InvalidDataException">The text is not UTF-8, or holds a NUL byte; the message names the line.</exception>
    /// <exception cref="LimitExceededException">A record is longer than <paramref name="maxRecordBytes"/>.</exception>
    public static (long Records, long LongestRecord, long Lines) Write(Stream input, Stream output, string delimiter, char quote, Action? progress, CancellationToken cancellationToken,
        bool checkUtf8 = true, long maxRecordBytes = long.MaxValue, Action<long>? checkWritten = null, long checkEvery = 64L << 20)
    {
        if (quote > 0x7F)
            throw new InvalidDataException($"the quote character '{quote}' must be ASCII");
        var delimiterBytes = Encoding.UTF8.GetBytes(delimiter);
        var quoteByte = (byte)quote;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var sink = new Output(output, checkWritten, Math.Clamp(checkEvery, 1, 64L << 20));
        try
        {
            long line = 1, records = 0, recordStartLine = 1;
            // The bytes of the record being copied, and the longest so far.
            long recordBytes = 0, longest = 0;
            void Grow(int bytes)
            {
                recordBytes += bytes;
                if (recordBytes > maxRecordBytes)
                    throw new LimitExceededException(
                        $"the record at line {recordStartLine:N0} is longer than {IngestLimits.Bytes(maxRecordBytes)} (a quote that never closes, or no line breaks at all?)",
                        "Analytics:MaxLineBytes");
            }
            var atLineStart = true;
            var inQuote = false;
            var first = true;
            // Lines end in \n (or \r\n); a file whose first block has \r but no \n ends them in \r alone.
            var newline = (byte)'\n';
            // The last byte copied, to tell whether a quote opens a field; a record starts just after a delimiter.
            var previous = delimiterBytes[^1];
            int n;
            // Up to three bytes of a UTF-8 sequence cut by the end of a chunk, checked with the next chunk.
            Span<byte> carry = stackalloc byte[8];
            var carried = 0;
            while ((n = input.ReadAtLeast(buffer.AsSpan(0, ChunkSize), ChunkSize, throwOnEndOfStream: false)) > 0)
            {
                var span = buffer.AsSpan(0, n);
                var nul = span.IndexOf((byte)0);
                if (nul >= 0)
                    throw new InvalidDataException($"line {line + span[..nul].Count(newline)} holds a NUL byte, which no text field may hold; the file is binary or damaged");
                if (checkUtf8)
                    carried = CheckUtf8(carry, carried, span, line, newline);
                if (first)
                {
                    first = false;
                    if (span.StartsWith("\uFEFF"u8))
                        span = span[3..];
                    if (!span.Contains((byte)'\n') && span.Contains((byte)'\r'))
                        newline = (byte)'\r';
                }
                while (!span.IsEmpty)
                {
                    if (atLineStart && !inQuote)
                    {
                        var b = span[0];
                        if (b is (byte)'\n' or (byte)'\r')
                        {
                            // A blank line (or the \r of one): copied, not numbered.
                            if (b == newline)
                                line++;
                            sink.Write(span[..1]);
                            span = span[1..];
                            continue;
                        }
                        if (records == 0)
                            sink.Write(Encoding.UTF8.GetBytes(Column));
                        else
                            sink.Write(line);
                        sink.Write(delimiterBytes);
                        previous = delimiterBytes[^1];
                        records++;
                        recordStartLine = line;
                        recordBytes = 21 + delimiterBytes.Length;
                        atLineStart = false;
                    }
                    int at;
                    if (inQuote)
                    {
                        at = span.IndexOf(quoteByte);
                        var run = at < 0 ? span : span[..(at + 1)];
                        line += run.Count(newline);
                        Grow(run.Length);
                        sink.Write(run);
                        if (at >= 0)
                            inQuote = false;
                        previous = run[^1];
                        span = span[run.Length..];
                        continue;
                    }
                    at = span.IndexOfAny(newline, quoteByte);
                    if (at < 0)
                    {
                        Grow(span.Length);
                        sink.Write(span);
                        previous = span[^1];
                        break;
                    }
                    var found = span[at];
                    var before = at > 0 ? span[at - 1] : previous;
                    Grow(at + 1);
                    sink.Write(span[..(at + 1)]);
                    if (found == newline)
                    {
                        line++;
                        atLineStart = true;
                        longest = Math.Max(longest, recordBytes);
                        recordBytes = 0;
                    }
                    else if (before == delimiterBytes[^1] || before == quoteByte)
                    {
                        // A quote at the start of a field, or right after a closing quote (a doubled quote), opens quoting.
                        inQuote = true;
                    }
                    previous = found;
                    span = span[(at + 1)..];
                }
                progress?.Invoke();
                cancellationToken.ThrowIfCancellationRequested();
            }
            sink.Flush();
            // The last line with content: after a final line break (quoted or not) the counter is one past it.
            return (Math.Max(0, records - 1), Math.Max(longest, recordBytes), previous == newline ? line - 1 : line);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            sink.Dispose();
        }
    }

    /// <summary>Checks a chunk as UTF-8, with the bytes carried from the previous one; returns how many bytes it carries on.</summary>
    private static int CheckUtf8(Span<byte> carry, int carried, ReadOnlySpan<byte> chunk, long line, byte newline)
    {
        // The start of the chunk completes what the previous one began.
        var head = 0;
        if (carried > 0)
        {
            while (head < chunk.Length && head < 4 && (chunk[head] & 0xC0) == 0x80)
                carry[carried++] = chunk[head++];
            if (!System.Text.Unicode.Utf8.IsValid(carry[..carried]))
                throw NotUtf8(line, carry[0]);
        }
        // The end of the chunk may stop inside a sequence: keep its bytes for the next one.
        var tail = chunk.Length;
        for (var back = 1; back <= 3 && back <= chunk.Length - head; back++)
        {
            var b = chunk[^back];
            if ((b & 0xC0) == 0x80)
                continue;
            var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (length > back)
                tail = chunk.Length - back;
            break;
        }
        var body = chunk[head..tail];
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            var bad = FirstInvalid(body);
            throw NotUtf8(line + body[..bad].Count(newline), body[bad]);
        }
        chunk[tail..].CopyTo(carry);
        return chunk.Length - tail;
    }

    private static int FirstInvalid(ReadOnlySpan<byte> utf8)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(utf8, new char[utf8.Length], out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.Done ? 0 : read;
    }

    private static InvalidDataException NotUtf8(long line, byte b) => new(
        $"line {line} holds byte 0x{b:X2}, which is not UTF-8 text: the file is in another encoding. Set \"encoding\" in its column mapping " +
        "(latin1, windows-1252, gb18030, utf-16) and load it again");

    /// <summary>Collects many small writes (a number, a delimiter, a line) into large ones.</summary>
    private sealed class Output(Stream stream, Action<long>? checkWritten, long checkEvery) : IDisposable
    {
        private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        private int _used;
        private long _written;
        private readonly long _checkEvery = checkEvery;
        private long _nextCheck = checkEvery;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            if (_used + bytes.Length > _buffer.Length)
            {
                Flush();
                if (bytes.Length > _buffer.Length)
                {
                    stream.Write(bytes);
                    Count(bytes.Length);
                    return;
                }
            }
            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        public void Write(long number)
        {
            if (_used + 20 > _buffer.Length)
                Flush();
            Utf8Formatter.TryFormat(number, _buffer.AsSpan(_used), out var written);
            _used += written;
        }

        public void Flush()
        {
            stream.Write(_buffer, 0, _used);
            Count(_used);
            _used = 0;
        }

        private void Count(long bytes)
        {
            _written += bytes;
            if (_written >= _nextCheck)
            {
                _nextCheck = _written + _checkEvery;
                checkWritten?.Invoke(_written);
            }
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
    }
}
