using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Analytics.Core.Time;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// Streams an IEEE 1849 XES document into staging rows: each <c>&lt;event&gt;</c> in a <c>&lt;trace&gt;</c> becomes a row,
/// trace attributes become typed case attributes, and event attributes other than the standard ones
/// (<c>concept:name</c>, <c>time:timestamp</c>, <c>org:resource</c>, <c>org:role</c>, <c>lifecycle:transition</c>)
/// are kept as a JSON object. Nested attributes and list values are not kept. Memory use is bounded by one trace.
/// </summary>
internal sealed class XesReader
{
    private static readonly byte[] KeyAttr = "key"u8.ToArray();
    private static readonly byte[] ValueAttr = "value"u8.ToArray();
    private readonly TimeZoneInfo _naiveZone;
    private readonly StringPool _pool = new();
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly List<PendingEvent> _traceEvents = [];
    private readonly List<(string Key, CaseAttributeValue Value)> _traceAttributes = [];
    private string? _traceProblem;

    private readonly long _maxElementBytes;

    public XesReader(TimeZoneInfo naiveZone, long maxElementBytes = 64L << 20)
    {
        _naiveZone = naiveZone;
        _maxElementBytes = maxElementBytes;
    }

    /// <summary>Reads the whole document.</summary>
    /// <param name="stream">The (decompressed) XES bytes.</param>
    /// <param name="sink">Receives rows.</param>
    /// <param name="progress">Called now and then with bytes read of <paramref name="stream"/>'s source.</param>
    /// <param name="cancellationToken">Checked once per trace.</param>
    /// <exception cref="InvalidDataException">The document is not well-formed XES.</exception>
    public void Read(Stream stream, IStagingSink sink, Action<long>? progress, CancellationToken cancellationToken)
    {
        using var xml = new XmlScanner(stream, _maxElementBytes);
        var depth = 0;
        var sawLog = false;
        var traceDepth = -1;
        var eventDepth = -1;
        long seq = 0;
        long caseSeq = 0;
        string? caseId = null;
        PendingEvent current = default;
        var currentAttrs = 0;
        var lastProgress = 0L;
        XmlToken token;
        while ((token = xml.Read()) != XmlToken.None)
        {
            if (token == XmlToken.EndElement)
            {
                depth--;
                if (depth == eventDepth)
                {
                    current.AttributesJson = currentAttrs > 0 ? FinishJson() : null;
                    _traceEvents.Add(current);
                    eventDepth = -1;
                }
                else if (depth == traceDepth)
                {
                    FlushTrace(sink, caseId, caseSeq++);
                    traceDepth = -1;
                    caseId = null;
                    cancellationToken.ThrowIfCancellationRequested();
                    if (progress is not null && xml.BytesRead - lastProgress > (4 << 20))
                    {
                        lastProgress = xml.BytesRead;
                        progress(lastProgress);
                    }
                }
                continue;
            }
            var name = xml.Name;
            var elementDepth = depth;
            if (!xml.IsEmptyElement)
                depth++;
            if (elementDepth == 0)
            {
                if (!name.SequenceEqual("log"u8))
                    throw new InvalidDataException($"not an XES document: the root element is <{Encoding.UTF8.GetString(name)}>, not <log>");
                sawLog = true;
                continue;
            }
            if (elementDepth == 1 && name.SequenceEqual("trace"u8))
            {
                if (!xml.IsEmptyElement)
                    traceDepth = elementDepth;
                else
                    FlushTrace(sink, null, caseSeq++);
                continue;
            }
            if (traceDepth < 0)
                continue; // log-level attributes, globals, extensions, classifiers
            if (elementDepth == traceDepth + 1 && name.SequenceEqual("event"u8))
            {
                current = new PendingEvent { Seq = seq++, Line = xml.Line };
                currentAttrs = 0;
                _json.ResetWrittenCount();
                if (xml.IsEmptyElement)
                    _traceEvents.Add(current);
                else
                    eventDepth = elementDepth;
                continue;
            }
            if (!xml.TryGetAttribute(KeyAttr, out var keyBytes))
                continue;
            if (eventDepth >= 0 && elementDepth == eventDepth + 1)
            {
                xml.TryGetAttribute(ValueAttr, out var value);
                if (keyBytes.SequenceEqual("concept:name"u8)) current.Activity = _pool.Get(value);
                else if (keyBytes.SequenceEqual("time:timestamp"u8)) SetTimestamp(ref current, value);
                else if (keyBytes.SequenceEqual("org:resource"u8)) current.Resource = _pool.Get(value);
                else if (keyBytes.SequenceEqual("org:role"u8)) current.Role = _pool.Get(value);
                else if (keyBytes.SequenceEqual("lifecycle:transition"u8)) current.Lifecycle = _pool.Get(value);
                else if (AppendJson(name, keyBytes, value, currentAttrs == 0)) currentAttrs++;
            }
            else if (eventDepth < 0 && elementDepth == traceDepth + 1)
            {
                xml.TryGetAttribute(ValueAttr, out var value);
                if (keyBytes.SequenceEqual("concept:name"u8))
                    caseId = Encoding.UTF8.GetString(value);
                else if (TypedValue(name, value) is { } typed)
                {
                    if (typed.Number is { } n && !double.IsFinite(n))
                        _traceProblem ??= $"case attribute '{Encoding.UTF8.GetString(keyBytes)}' is not a finite number ('{Encoding.UTF8.GetString(value)}')";
                    else
                        _traceAttributes.Add((_pool.Get(keyBytes), typed));
                }
            }
        }
        if (!sawLog)
            throw new InvalidDataException("not an XES document: no <log> element");
        if (depth != 0)
            throw new InvalidDataException($"the XES document ends early: {depth} element(s) not closed (truncated file?)");
        progress?.Invoke(xml.BytesRead);
    }

    private void FlushTrace(IStagingSink sink, string? caseId, long caseSeq)
    {
        if (caseId is not null && caseId.Length > 0)
        {
            sink.AddCase(caseId, caseSeq);
            foreach (var (key, value) in _traceAttributes)
                sink.AddCaseAttribute(caseId, key, value, caseSeq);
        }
        foreach (var e in _traceEvents)
            sink.AddEvent(e.Seq, e.Line, caseId, e.Activity, e.Utc, e.TimestampText, e.Resource, e.Role, e.Lifecycle, e.AttributesJson, _traceProblem);
        _traceProblem = null;
        _traceEvents.Clear();
        _traceAttributes.Clear();
    }

    /// <summary>The offsets the event timestamps carried, per month.</summary>
    public OffsetTally Offsets { get; } = new();

    private void SetTimestamp(ref PendingEvent e, ReadOnlySpan<byte> value)
    {
        if (TimestampParser.TryParse(value, _naiveZone, out var utc, out var offset))
        {
            e.Utc = utc;
            e.TimestampText = null;
            if (offset is { } minutes)
                Offsets.Add(utc, minutes);
        }
        else
        {
            e.Utc = null;
            e.TimestampText = Encoding.UTF8.GetString(value);
        }
    }

    private CaseAttributeValue? TypedValue(ReadOnlySpan<byte> type, ReadOnlySpan<byte> value)
    {
        if (type.SequenceEqual("string"u8) || type.SequenceEqual("id"u8))
            return CaseAttributeValue.OfText(Encoding.UTF8.GetString(value));
        if (type.SequenceEqual("int"u8) || type.SequenceEqual("float"u8))
        {
            if (Utf8Parser.TryParse(value, out double d, out var used) && used == value.Length)
                return CaseAttributeValue.OfNumber(d);
            // NaN and infinities written out are numbers that cannot be; 1e400 overflows to infinity above.
            var text = Encoding.UTF8.GetString(value).Trim();
            return text.Equals("NaN", StringComparison.OrdinalIgnoreCase) || text.TrimStart('+', '-').StartsWith("Inf", StringComparison.OrdinalIgnoreCase)
                ? CaseAttributeValue.OfNumber(double.NaN)
                : CaseAttributeValue.OfText(text);
        }
        if (type.SequenceEqual("boolean"u8))
            return CaseAttributeValue.OfBoolean(value.SequenceEqual("true"u8) || value.SequenceEqual("1"u8));
        if (type.SequenceEqual("date"u8))
            return TimestampParser.TryParse(value, _naiveZone, out var utc)
                ? CaseAttributeValue.OfTime(utc)
                : CaseAttributeValue.OfText(Encoding.UTF8.GetString(value));
        return null; // list, container: not kept
    }

    /// <summary>Appends "key": value to the event's JSON object, typed by the XES element name.</summary>
    private bool AppendJson(ReadOnlySpan<byte> type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool first)
    {
        if (type.SequenceEqual("list"u8) || type.SequenceEqual("container"u8))
            return false;
        _json.Write(first ? "{"u8 : ","u8);
        WriteJsonString(key);
        _json.Write(":"u8);
        if ((type.SequenceEqual("int"u8) || type.SequenceEqual("float"u8)) && Utf8Parser.TryParse(value, out double d, out var used) && used == value.Length && double.IsFinite(d))
            _json.Write(value);
        else if (type.SequenceEqual("boolean"u8))
            _json.Write(value.SequenceEqual("true"u8) ? "true"u8 : "false"u8);
        else
            WriteJsonString(value);
        return true;
    }

    private void WriteJsonString(ReadOnlySpan<byte> utf8)
    {
        _json.Write("\""u8);
        Span<byte> escape = stackalloc byte[6];
        "\\u00"u8.CopyTo(escape);
        var run = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b >= 0x20 && b != '"' && b != '\\')
                continue;
            _json.Write(utf8[run..i]);
            if (b == '"') _json.Write("\\\""u8);
            else if (b == '\\') _json.Write("\\\\"u8);
            else
            {
                escape[4] = (byte)"0123456789abcdef"[b >> 4];
                escape[5] = (byte)"0123456789abcdef"[b & 15];
                _json.Write(escape);
            }
            run = i + 1;
        }
        _json.Write(utf8[run..]);
        _json.Write("\""u8);
    }

    private string FinishJson()
    {
        _json.Write("}"u8);
        return Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    private struct PendingEvent
    {
        public long Seq;
        public long Line;
        public string? Activity;
        public DateTime? Utc;
        public string? TimestampText;
        public string? Resource;
        public string? Role;
        public string? Lifecycle;
        public string? AttributesJson;
    }
}
