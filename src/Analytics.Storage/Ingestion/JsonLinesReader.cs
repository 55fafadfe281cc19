using System.Buffers;
using System.Text;
using System.Text.Json;
using Analytics.Core.Time;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// Streams JSON Lines (one object per line) into staging rows, using the same <see cref="ColumnMapping"/> as CSV.
/// A line that is not a JSON object is staged with a problem (and quarantined), never dropped. Blank lines are skipped.
/// Field values may be strings, numbers or booleans; the timestamp must be a string.
/// </summary>
internal sealed class JsonLinesReader
{
    private const int MaxRawLength = 2000;
    private readonly ColumnMapping _mapping;
    private readonly TimeZoneInfo _zone;

    /// <summary>The offsets the timestamps carried, per month.</summary>
    public OffsetTally Offsets { get; } = new();
    private readonly HashSet<string> _caseAttributes;
    private readonly HashSet<string>? _eventAttributes;
    private readonly HashSet<string> _mapped;
    private readonly StringPool _pool = new();
    private readonly HashSet<string> _casesSeen = new(StringComparer.Ordinal);

    private readonly long _maxLineBytes;

    public JsonLinesReader(ColumnMapping mapping, TimeZoneInfo zone, long maxLineBytes = 64L << 20)
    {
        _maxLineBytes = maxLineBytes;
        _mapping = mapping;
        _zone = zone;
        _caseAttributes = new HashSet<string>(mapping.CaseAttributes, StringComparer.Ordinal);
        _eventAttributes = mapping.EventAttributes is null ? null : new HashSet<string>(mapping.EventAttributes, StringComparer.Ordinal);
        _mapped = new HashSet<string>(mapping.MappedColumns(), StringComparer.Ordinal);
    }

    public void Read(Stream stream, IStagingSink sink, Action<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(1 << 20, Math.Max(1 << 12, _maxLineBytes)));
        try
        {
            int len = 0, start = 0;
            long line = 0, seq = 0, bytes = 0, lastProgress = 0;
            var eof = false;
            while (true)
            {
                var nl = buffer.AsSpan(start, len - start).IndexOf((byte)'\n');
                if (nl < 0)
                {
                    if (eof)
                    {
                        if (start < len)
                            ReadLine(buffer.AsSpan(start, len - start), ++line, seq++, sink);
                        if (bytes == 0)
                            throw new InvalidDataException("the file is empty: no line to load");
                        if (seq == 0)
                            throw new InvalidDataException("the file holds only blank lines: no event to load");
                        break;
                    }
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, len - start);
                        len -= start;
                        start = 0;
                    }
                    if (len == buffer.Length)
                    {
                        if (buffer.Length >= _maxLineBytes)
                            throw new LimitExceededException($"line {line + 1} is longer than {IngestLimits.Bytes(_maxLineBytes)}", "Analytics:MaxLineBytes");
                        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Min(_maxLineBytes, (long)buffer.Length * 2)));
                        Buffer.BlockCopy(buffer, 0, bigger, 0, len);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    var read = stream.Read(buffer, len, buffer.Length - len);
                    bytes += read;
                    if (read == 0)
                        eof = true;
                    len += read;
                    if (progress is not null && bytes - lastProgress > (4 << 20))
                    {
                        lastProgress = bytes;
                        progress(bytes);
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    continue;
                }
                var content = buffer.AsSpan(start, nl);
                line++;
                if (!content.Trim(" \t\r"u8).IsEmpty)
                    ReadLine(content, line, seq++, sink);
                start += nl + 1;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadLine(ReadOnlySpan<byte> utf8, long line, long seq, IStagingSink sink)
    {
        utf8 = utf8.Trim(" \t\r"u8);
        if (utf8.Length > 2 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
            utf8 = utf8[3..];
        string? caseId = null, activity = null, tsText = null, resource = null, role = null, lifecycle = null;
        DateTime? utc = null;
        List<(string, CaseAttributeValue)>? caseAttrs = null;
        var attributes = new ArrayBufferWriter<byte>();
        string? problem = null;
        try
        {
            if (utf8.Contains((byte)0))
                throw new JsonException("the line holds a NUL byte, which no text may hold");
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new JsonException("the line is not a JSON object");
            using var json = new Utf8JsonWriter(attributes);
            json.WriteStartObject();
            var anyAttribute = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (_mapped.Contains(name))
                {
                    var text = Scalar(ref reader, name);
                    if (name == _mapping.CaseId) caseId = text;
                    if (name == _mapping.Activity) activity = text is null ? null : _pool.Get(Encoding.UTF8.GetBytes(text));
                    if (name == _mapping.Resource) resource = text;
                    if (name == _mapping.Role) role = text;
                    if (name == _mapping.Lifecycle) lifecycle = text;
                    if (name == _mapping.Timestamp && text is not null)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                            throw new JsonException($"'{name}' must be a timestamp string");
                        if (TimestampParser.TryParse(text.AsSpan(), _zone, out var parsed, out var offset))
                        {
                            utc = parsed;
                            if (offset is { } minutes)
                                Offsets.Add(parsed, minutes);
                        }
                        else
                            tsText = text;
                    }
                }
                else if (_caseAttributes.Contains(name))
                {
                    if (reader.TokenType != JsonTokenType.Null)
                        (caseAttrs ??= []).Add((name, reader.TokenType switch
                        {
                            JsonTokenType.Number => CaseAttributeValue.OfNumber(Finite(reader.GetDouble(), name)),
                            JsonTokenType.True or JsonTokenType.False => CaseAttributeValue.OfBoolean(reader.GetBoolean()),
                            JsonTokenType.String => CaseAttributeValue.OfText(NoNul(reader.GetString()!, name)),
                            _ => throw new JsonException($"case attribute '{name}' must be a string, number or boolean"),
                        }));
                }
                else if (_eventAttributes is null || _eventAttributes.Contains(name))
                {
                    json.WritePropertyName(name);
                    using var value = JsonDocument.ParseValue(ref reader);
                    CheckFinite(value.RootElement, name);
                    value.RootElement.WriteTo(json);
                    anyAttribute = true;
                }
                else
                    reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                throw new JsonException("trailing content after the JSON object");
            json.WriteEndObject();
            json.Flush();
            if (!anyAttribute)
                attributes = null!;
        }
        catch (JsonException ex)
        {
            problem = "invalid JSON: " + ex.Message.Split(" LineNumber", 2)[0];
        }
        catch (InvalidOperationException ex)
        {
            problem = "invalid JSON: " + ex.Message;
        }
        if (problem is not null)
        {
            var raw = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, MaxRawLength)]);
            sink.AddEvent(seq, line, caseId, activity, null, null, null, null, null, raw, problem);
            return;
        }
        if (caseId is not null && caseId.Length > 0)
        {
            if (_casesSeen.Add(caseId))
                sink.AddCase(caseId, seq);
            if (caseAttrs is not null)
                foreach (var (key, value) in caseAttrs)
                    sink.AddCaseAttribute(caseId, key, value, seq);
        }
        sink.AddEvent(seq, line, caseId, activity, utc, tsText, resource, role, lifecycle,
            attributes is null ? null : Encoding.UTF8.GetString(attributes.WrittenSpan), null);
    }

    /// <summary>Refuses a number that is not finite (1e400) anywhere inside an event attribute's value.</summary>
    private static void CheckFinite(JsonElement value, string name)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when !(value.TryGetDouble(out var d) && double.IsFinite(d)):
                throw new JsonException($"'{name}' holds a number that is not finite ({value.GetRawText()})");
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject())
                    CheckFinite(p.Value, name);
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                    CheckFinite(item, name);
                break;
        }
    }

    private static double Finite(double value, string name) =>
        double.IsFinite(value) ? value : throw new JsonException($"'{name}' is not a finite number");

    private static string NoNul(string value, string name) =>
        value.Contains('\0', StringComparison.Ordinal) ? throw new JsonException($"'{name}' holds a NUL character") : value;

    private static string? Scalar(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.String => NoNul(reader.GetString()!, name),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => null,
        _ => throw new JsonException($"'{name}' must be a string, number or boolean"),
    };
}
