using System.Buffers.Binary;
using System.IO.Compression;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// A gzip decompressing stream that refuses truncated input. .NET's <see cref="GZipStream"/> ends quietly where a
/// truncated file ends; this one checks, at the end, that the decompressed length matches the ISIZE field of the gzip
/// trailer (RFC 1952: the last four bytes, length mod 2^32) and throws <see cref="InvalidDataException"/> if not.
/// </summary>
/// <remarks>For a multi-member gzip file the trailer describes the last member only; such files are checked against it and may be refused.</remarks>
internal sealed class StrictGzipStream : Stream
{
    private readonly FileStream _file;
    private readonly GZipStream _inner;
    private readonly uint _expectedSize;
    private long _produced;

    public StrictGzipStream(FileStream file)
    {
        _file = file;
        if (file.Length < 18)
            throw new InvalidDataException("the gzip file is too short to be complete");
        Span<byte> trailer = stackalloc byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        file.Position = 0;
        _expectedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        _inner = new GZipStream(file, CompressionMode.Decompress);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException("corrupt gzip data: " + ex.Message, ex);
        }
        _produced += n;
        if (n == 0 && buffer.Length > 0 && (uint)_produced != _expectedSize)
            throw new InvalidDataException($"the gzip data ends early after {_produced:N0} bytes: the file is truncated or corrupt");
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _file.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
