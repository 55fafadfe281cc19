using System.Buffers;
using System.Text;

namespace Analytics.Storage.Ingestion;

/// <summary>What <see cref="XmlScanner.Read"/> found.</summary>
internal enum XmlToken
{
    /// <summary>End of input.</summary>
    None,
    /// <summary>An opening tag; <see cref="XmlScanner.IsEmptyElement"/> says whether it closes itself.</summary>
    StartElement,
    /// <summary>A closing tag.</summary>
    EndElement,
}

/// <summary>
/// A forward-only scanner of UTF-8 XML elements and attributes, fast enough to parse an event log at disk speed.
/// It reports start and end tags with their attributes and skips text, comments, processing instructions, CDATA and
/// DOCTYPE. Attribute values have the five predefined and numeric character references decoded. Namespaces are not
/// resolved (XES uses none on its elements). Strict where XML is: end tags must match their start tags, there is one
/// root element, attribute values hold no '&lt;', no control character and only valid UTF-8. Malformed markup raises
/// <see cref="InvalidDataException"/> naming the line; a tag longer than the limit raises
/// <see cref="LimitExceededException"/> before the buffer grows past it.
/// </summary>
/// <remarks>Spans returned stay valid only until the next call to <see cref="Read"/>.</remarks>
internal sealed class XmlScanner : IDisposable
{
    private const int MaxAttributes = 64;
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _pos;
    private int _len;
    private bool _eof;
    private long _line = 1;
    private int _linePos;
    private byte[] _decoded = new byte[256];
    private int _decodedLen;
    private readonly (int NameStart, int NameLen, int ValueStart, int ValueLen, bool Decoded)[] _attributes = new (int, int, int, int, bool)[MaxAttributes];
    private int _nameStart;
    private int _nameLen;
    private readonly long _maxTagBytes;
    private readonly List<byte[]> _open = [];
    private bool _rootClosed;

    public XmlScanner(Stream stream, long maxTagBytes = 64L << 20, int bufferSize = 1 << 20)
    {
        _stream = stream;
        _maxTagBytes = maxTagBytes;
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(bufferSize, Math.Max(1 << 12, maxTagBytes)));
    }

    /// <summary>Bytes consumed from the underlying stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The 1-based line on which the current tag starts.</summary>
    public long Line { get; private set; }

    public bool IsEmptyElement { get; private set; }

    public int AttributeCount { get; private set; }

    public ReadOnlySpan<byte> Name => _buffer.AsSpan(_nameStart, _nameLen);

    public ReadOnlySpan<byte> AttributeName(int i) => _buffer.AsSpan(_attributes[i].NameStart, _attributes[i].NameLen);

    public ReadOnlySpan<byte> AttributeValue(int i)
    {
        var a = _attributes[i];
        return a.Decoded ? _decoded.AsSpan(a.ValueStart, a.ValueLen) : _buffer.AsSpan(a.ValueStart, a.ValueLen);
    }

    /// <summary>The value of the attribute with the given name, or an empty span with <c>false</c>.</summary>
    public bool TryGetAttribute(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < AttributeCount; i++)
        {
            if (AttributeName(i).SequenceEqual(name))
            {
                value = AttributeValue(i);
                return true;
            }
        }
        value = default;
        return false;
    }

    public XmlToken Read()
    {
        while (true)
        {
            var lt = FindByte((byte)'<', 0);
            if (lt < 0)
                return XmlToken.None;
            _pos = lt;
            if (!Ensure(2))
                throw Malformed("unexpected end of file after '<'");
            var next = _buffer[_pos + 1];
            if (next == '?')
            {
                SkipPast("?>"u8);
                continue;
            }
            if (next == '!')
            {
                if (StartsWith("<!--"u8))
                    SkipPast("-->"u8);
                else if (StartsWith("<![CDATA["u8))
                    SkipPast("]]>"u8);
                else
                    SkipDeclaration();
                continue;
            }
            return ReadTag();
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private XmlToken ReadTag()
    {
        var end = FindTagEnd();
        CountLinesTo(_pos);
        Line = _line;
        var span = _buffer.AsSpan(0, end + 1);
        var i = _pos + 1;
        var closing = span[i] == '/';
        if (closing)
            i++;
        _nameStart = i;
        while (i < end && !IsSpace(span[i]) && span[i] != '/' && span[i] != '>')
            i++;
        _nameLen = i - _nameStart;
        if (_nameLen == 0)
            throw Malformed("a tag without a name");
        AttributeCount = 0;
        _decodedLen = 0;
        IsEmptyElement = false;
        while (true)
        {
            while (i < end && IsSpace(span[i]))
                i++;
            if (span[i] == '>')
                break;
            if (span[i] == '/')
            {
                IsEmptyElement = true;
                i++;
                continue;
            }
            if (closing)
                throw Malformed("attributes on a closing tag");
            var nameStart = i;
            while (i < end && span[i] != '=' && !IsSpace(span[i]) && span[i] != '>')
                i++;
            var nameLen = i - nameStart;
            while (i < end && IsSpace(span[i]))
                i++;
            if (span[i] != '=')
                throw Malformed($"attribute '{Encoding.UTF8.GetString(span.Slice(nameStart, nameLen))}' without a value");
            i++;
            while (i < end && IsSpace(span[i]))
                i++;
            var quote = span[i];
            if (quote != '"' && quote != '\'')
                throw Malformed("an attribute value without quotes");
            var valueStart = ++i;
            var close = span[valueStart..end].IndexOf(quote);
            if (close < 0)
                throw Malformed("an unterminated attribute value");
            i = valueStart + close;
            if (AttributeCount == MaxAttributes)
                throw Malformed($"more than {MaxAttributes} attributes on one element");
            var value = span.Slice(valueStart, close);
            _attributes[AttributeCount++] = value.IndexOf((byte)'&') >= 0
                ? DecodeInto(nameStart, nameLen, value)
                : (nameStart, nameLen, valueStart, close, false);
            i++;
        }
        _pos = i + 1;
        for (var a = 0; a < AttributeCount; a++)
            Validate(AttributeValue(a));
        var name = Name;
        if (closing)
        {
            if (_open.Count == 0)
                throw Malformed($"</{Encoding.UTF8.GetString(name)}> closes no open element");
            if (!name.SequenceEqual(_open[^1]))
                throw Malformed($"</{Encoding.UTF8.GetString(name)}> closes <{Encoding.UTF8.GetString(_open[^1])}>");
            _open.RemoveAt(_open.Count - 1);
            _rootClosed = _open.Count == 0;
            return XmlToken.EndElement;
        }
        if (_rootClosed)
            throw Malformed($"a second root element <{Encoding.UTF8.GetString(name)}> after the document's end");
        if (IsEmptyElement)
            _rootClosed = _open.Count == 0;
        else
            _open.Add(name.ToArray());
        return XmlToken.StartElement;
    }

    /// <summary>XML allows no control character but tab and line breaks, and the text must be UTF-8.</summary>
    private void Validate(ReadOnlySpan<byte> value)
    {
        var control = value.IndexOfAnyInRange((byte)0, (byte)0x1F);
        while (control >= 0)
        {
            var b = value[control];
            if (b is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
                throw Malformed(b == 0 ? "a NUL character in an attribute value" : $"a control character (0x{b:X2}) in an attribute value");
            var next = value[(control + 1)..].IndexOfAnyInRange((byte)0, (byte)0x1F);
            control = next < 0 ? -1 : control + 1 + next;
        }
        if (!System.Text.Unicode.Utf8.IsValid(value))
            throw Malformed("an attribute value that is not valid UTF-8 (save the file as UTF-8, or check its encoding)");
    }

    private (int, int, int, int, bool) DecodeInto(int nameStart, int nameLen, ReadOnlySpan<byte> value)
    {
        if (_decoded.Length < _decodedLen + value.Length)
            Array.Resize(ref _decoded, Math.Max(_decoded.Length * 2, _decodedLen + value.Length));
        var start = _decodedLen;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b != '&')
            {
                _decoded[_decodedLen++] = b;
                i++;
                continue;
            }
            var semi = value[i..].IndexOf((byte)';');
            if (semi < 0)
                throw Malformed("an unterminated character reference");
            var entity = value.Slice(i + 1, semi - 1);
            i += semi + 1;
            if (entity.SequenceEqual("amp"u8)) _decoded[_decodedLen++] = (byte)'&';
            else if (entity.SequenceEqual("lt"u8)) _decoded[_decodedLen++] = (byte)'<';
            else if (entity.SequenceEqual("gt"u8)) _decoded[_decodedLen++] = (byte)'>';
            else if (entity.SequenceEqual("quot"u8)) _decoded[_decodedLen++] = (byte)'"';
            else if (entity.SequenceEqual("apos"u8)) _decoded[_decodedLen++] = (byte)'\'';
            else if (entity.Length > 1 && entity[0] == '#')
            {
                var hex = entity[1] == 'x' || entity[1] == 'X';
                var digits = Encoding.ASCII.GetString(entity[(hex ? 2 : 1)..]);
                if (!int.TryParse(digits, hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out var code) || !Rune.IsValid(code) || (code < 0x20 && code is not (9 or 10 or 13)))
                    throw Malformed($"an invalid character reference '&{Encoding.ASCII.GetString(entity)};'");
                if (_decoded.Length < _decodedLen + 4 + value.Length)
                    Array.Resize(ref _decoded, _decoded.Length * 2 + value.Length);
                _decodedLen += new Rune(code).EncodeToUtf8(_decoded.AsSpan(_decodedLen));
            }
            else
                throw Malformed($"an unknown entity '&{Encoding.UTF8.GetString(entity)};'");
        }
        return (nameStart, nameLen, start, _decodedLen - start, true);
    }

    /// <summary>Index (absolute in the buffer) of the '>' closing the tag that starts at _pos, outside quoted values.</summary>
    private int FindTagEnd()
    {
        var i = _pos + 1;
        byte quote = 0;
        while (true)
        {
            for (; i < _len; i++)
            {
                var b = _buffer[i];
                if (quote != 0)
                {
                    if (b == quote)
                        quote = 0;
                    else if (b == '<')
                        throw Malformed("'<' inside an attribute value (XML writes it &lt;)");
                }
                else if (b == '"' || b == '\'')
                    quote = b;
                else if (b == '>')
                    return i;
                else if (b == '<')
                    throw Malformed("'<' inside a tag");
            }
            var offset = i - _pos;
            if (!Fill())
                throw Malformed("unexpected end of file inside a tag");
            i = _pos + offset;
        }
    }

    private bool StartsWith(ReadOnlySpan<byte> prefix) => Ensure(prefix.Length) && _buffer.AsSpan(_pos, prefix.Length).SequenceEqual(prefix);

    private void SkipPast(ReadOnlySpan<byte> terminator)
    {
        var from = 0;
        while (true)
        {
            var idx = _buffer.AsSpan(_pos + from, _len - _pos - from).IndexOf(terminator);
            if (idx >= 0)
            {
                _pos += from + idx + terminator.Length;
                return;
            }
            from = Math.Max(0, _len - _pos - terminator.Length);
            if (!Fill())
                throw Malformed($"unexpected end of file before '{Encoding.ASCII.GetString(terminator)}'");
        }
    }

    private void SkipDeclaration()
    {
        var depth = 0;
        var i = _pos + 2;
        while (true)
        {
            for (; i < _len; i++)
            {
                var b = _buffer[i];
                if (b == '[') depth++;
                else if (b == ']') depth--;
                else if (b == '>' && depth <= 0)
                {
                    _pos = i + 1;
                    return;
                }
            }
            var offset = i - _pos;
            if (!Fill())
                throw Malformed("unexpected end of file inside a declaration");
            i = _pos + offset;
        }
    }

    /// <summary>Absolute index of the next occurrence of b at or after _pos + from, refilling as needed; -1 at end of input.</summary>
    private int FindByte(byte b, int from)
    {
        while (true)
        {
            var idx = _buffer.AsSpan(_pos + from, _len - _pos - from).IndexOf(b);
            if (idx >= 0)
                return _pos + from + idx;
            // Nothing before _len is needed any more except for line counting.
            CountLinesTo(_len);
            _pos = _len;
            from = 0;
            if (!Fill())
                return -1;
        }
    }

    private bool Ensure(int count)
    {
        while (_len - _pos < count)
        {
            if (!Fill())
                return false;
        }
        return true;
    }

    /// <summary>Moves unread bytes from _pos to the front, grows the buffer if it is full, and reads more.</summary>
    private bool Fill()
    {
        if (_eof)
            return false;
        CountLinesTo(_pos);
        var keep = _len - _pos;
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, keep);
            _linePos -= _pos;
            _pos = 0;
            _len = keep;
        }
        if (_len == _buffer.Length)
        {
            if (_buffer.Length >= _maxTagBytes)
                throw new LimitExceededException(
                    $"an XML element near line {_line} is longer than {IngestLimits.Bytes(_maxTagBytes)}", "Analytics:MaxElementBytes");
            var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Min(_maxTagBytes, (long)_buffer.Length * 2)));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _len);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var read = _stream.Read(_buffer, _len, _buffer.Length - _len);
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        BytesRead += read;
        _len += read;
        return true;
    }

    private void CountLinesTo(int pos)
    {
        if (pos > _linePos)
        {
            _line += _buffer.AsSpan(_linePos, pos - _linePos).Count((byte)'\n');
            _linePos = pos;
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private InvalidDataException Malformed(string what)
    {
        CountLinesTo(Math.Min(_pos, _len));
        return new InvalidDataException($"malformed XML near line {_line}: {what}");
    }
}
