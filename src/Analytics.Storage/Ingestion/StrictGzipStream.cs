using System.Runtime.InteropServices;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// A gzip decompressing stream that refuses what is not whole: it inflates with the system's zlib, member after member
/// (RFC 1952 allows several, as bgzip, pigz and <c>cat a.gz b.gz</c> write them), checks each member's CRC-32 and
/// length, and throws <see cref="InvalidDataException"/> when the input ends inside a member (a truncated file) or a
/// check fails. .NET's <see cref="System.IO.Compression.GZipStream"/> ends quietly where a truncated file ends, which
/// is why this exists. It also refuses output beyond a size or a ratio to the input (a "zip bomb").
/// </summary>
internal sealed class StrictGzipStream : Stream
{
    private const int ZOk = 0;
    private const int ZStreamEnd = 1;
    private const int ZBufError = -5;
    private const int ZNoFlush = 0;
    private const int GzipAuto = 15 + 16;

    private readonly FileStream _file;
    private readonly IngestLimits _limits;
    private readonly byte[] _input = new byte[1 << 16];
    private readonly nint _stream;
    private GCHandle _pinned;
    private int _inputStart;
    private int _inputLength;
    private bool _memberEnded;
    private bool _finished;
    private long _produced;
    private bool _disposed;

    public StrictGzipStream(FileStream file, IngestLimits limits)
    {
        _file = file;
        _limits = limits;
        _stream = Marshal.AllocHGlobal(ZStream.Size);
        unsafe
        {
            new Span<byte>((void*)_stream, ZStream.Size).Clear();
        }
        _pinned = GCHandle.Alloc(_input, GCHandleType.Pinned);
        Check(Zlib.inflateInit2_(_stream, GzipAuto, Zlib.Version, ZStream.Size), "cannot start decompression");
    }

    /// <summary>Whether the system's zlib can be used (Linux and macOS ship it; elsewhere the loader falls back).</summary>
    public static bool Available { get; } = Zlib.Probe();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0 || _finished)
            return 0;
        fixed (byte* output = buffer)
        {
            while (true)
            {
                if (_inputLength == 0)
                {
                    _inputStart = 0;
                    _inputLength = _file.Read(_input, 0, _input.Length);
                    if (_inputLength == 0)
                    {
                        if (_memberEnded || _produced == 0 && _file.Length == 0)
                        {
                            _finished = true;
                            return 0;
                        }
                        throw new InvalidDataException($"the gzip data ends early after {_produced:N0} bytes: the file is truncated or corrupt");
                    }
                }
                if (_memberEnded)
                {
                    // Another member follows; zero padding after the last member is allowed.
                    var rest = _input.AsSpan(_inputStart, _inputLength);
                    if (rest.IndexOfAnyExcept((byte)0) < 0)
                    {
                        _inputLength = 0;
                        continue;
                    }
                    Check(Zlib.inflateReset(_stream), "cannot start the next gzip member");
                    _memberEnded = false;
                }
                var z = (ZStream*)_stream;
                z->NextIn = _pinned.AddrOfPinnedObject() + _inputStart;
                z->AvailIn = (uint)_inputLength;
                z->NextOut = (nint)output;
                z->AvailOut = (uint)buffer.Length;
                var status = Zlib.inflate(_stream, ZNoFlush);
                var consumed = _inputLength - (int)z->AvailIn;
                _inputStart += consumed;
                _inputLength -= consumed;
                var produced = buffer.Length - (int)z->AvailOut;
                if (status == ZStreamEnd)
                    _memberEnded = true;
                else if (status != ZOk && !(status == ZBufError && produced == 0 && _inputLength == 0))
                    throw new InvalidDataException($"corrupt gzip data after {_produced:N0} bytes: {Message(z) ?? $"zlib error {status}"}");
                if (produced > 0)
                {
                    _produced += produced;
                    _limits.CheckDecompressed(_produced, _file.Position);
                    return produced;
                }
            }
        }
    }

    private static unsafe string? Message(ZStream* z) => z->Msg == 0 ? null : Marshal.PtrToStringAnsi(z->Msg);

    private static void Check(int status, string what)
    {
        if (status != ZOk)
            throw new InvalidDataException($"{what} (zlib error {status})");
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
        if (!_disposed)
        {
            _disposed = true;
            _ = Zlib.inflateEnd(_stream);
            Marshal.FreeHGlobal(_stream);
            if (_pinned.IsAllocated)
                _pinned.Free();
            if (disposing)
                _file.Dispose();
        }
        base.Dispose(disposing);
    }

    ~StrictGzipStream() => Dispose(false);

    /// <summary>zlib's <c>z_stream</c> on a 64-bit platform (LP64: <c>uLong</c> is 8 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public nint NextIn;
        public uint AvailIn;
        public ulong TotalIn;
        public nint NextOut;
        public uint AvailOut;
        public ulong TotalOut;
        public nint Msg;
        public nint State;
        public nint ZAlloc;
        public nint ZFree;
        public nint Opaque;
        public int DataType;
        public ulong Adler;
        public ulong Reserved;

        public static readonly int Size = Marshal.SizeOf<ZStream>();
    }

    private static class Zlib
    {
        // Any 1.x: zlib only checks the major version.
        public const string Version = "1.2.13";

        public static bool Probe()
        {
            try
            {
                return Environment.Is64BitProcess && !OperatingSystem.IsWindows() && zlibVersion() != 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                return false;
            }
        }

        [DllImport("libz.so.1", CallingConvention = CallingConvention.Cdecl)]
        public static extern nint zlibVersion();

        [DllImport("libz.so.1", CallingConvention = CallingConvention.Cdecl, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int inflateInit2_(nint stream, int windowBits, string version, int streamSize);

        [DllImport("libz.so.1", CallingConvention = CallingConvention.Cdecl)]
        public static extern int inflate(nint stream, int flush);

        [DllImport("libz.so.1", CallingConvention = CallingConvention.Cdecl)]
        public static extern int inflateReset(nint stream);

        [DllImport("libz.so.1", CallingConvention = CallingConvention.Cdecl)]
        public static extern int inflateEnd(nint stream);
    }
}
