using System.Text;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// Opens a log file as a byte stream of UTF-8 text: gzip is undone (whole members only, within the limits), and a
/// UTF-16 file (recognised by its byte-order mark) is transcoded, so every reader sees UTF-8.
/// </summary>
internal static class TextInput
{
    /// <summary>Opens the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Bounds on decompression.</param>
    /// <param name="file">The underlying file, for progress (its position).</param>
    public static Stream Open(string path, IngestLimits limits, out FileStream file) => Open(path, limits, out file, out _);

    /// <summary>Opens the file and says whether it was transcoded from UTF-16 (its byte-order mark).</summary>
    public static Stream Open(string path, IngestLimits limits, out FileStream file, out bool transcoded)
    {
        file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        var n = file.Read(magic);
        file.Position = 0;
        Stream bytes = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
            ? StrictGzipStream.Available ? new StrictGzipStream(file, limits) : new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress)
            : file;
        return Utf16ToUtf8(bytes, out transcoded);
    }

    /// <summary>A stream whose UTF-16 byte-order mark, if any, turns it into UTF-8; anything else passes unchanged.</summary>
    private static Stream Utf16ToUtf8(Stream input, out bool transcoded)
    {
        var head = new byte[2];
        var n = input.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        Encoding? utf16 = n == 2 && head[0] == 0xFF && head[1] == 0xFE ? Encoding.Unicode
            : n == 2 && head[0] == 0xFE && head[1] == 0xFF ? Encoding.BigEndianUnicode
            : null;
        transcoded = utf16 is not null;
        var rest = new PrefixedStream(utf16 is null ? head.AsMemory(0, n) : Memory<byte>.Empty, input);
        return utf16 is null ? rest : Encoding.CreateTranscodingStream(rest, new UnicodeEncoding(utf16 == Encoding.BigEndianUnicode, false, throwOnInvalidBytes: true), new UTF8Encoding(false));
    }

    /// <summary>Bytes already read, then the rest of a stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.Length == 0)
                return rest.Read(buffer);
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            // The rest of the buffer from the stream, so a reader looking at its first block sees a whole one.
            return n < buffer.Length ? n + rest.Read(buffer[n..]) : n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
