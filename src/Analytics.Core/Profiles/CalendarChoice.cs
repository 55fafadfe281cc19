using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Core.Calendars;

namespace Analytics.Core.Profiles;

/// <summary>A profile's calendar: a built-in calendar by name, or a calendar definition (the calendar file format) kept inline.</summary>
/// <param name="Name">The built-in name, or null for an inline definition.</param>
/// <param name="Definition">The definition as JSON text, or null for a built-in calendar.</param>
public sealed record CalendarChoice(string? Name, string? Definition)
{
    /// <summary>A built-in calendar.</summary>
    public static CalendarChoice BuiltIn(string name) => new(name, null);

    /// <summary>An inline definition.</summary>
    public static CalendarChoice Inline(string json) => new(null, json);

    /// <summary>The calendar.</summary>
    /// <exception cref="FormatException">Unknown name or invalid definition; the message starts with <paramref name="source"/>.</exception>
    public BusinessCalendar Resolve(string source)
    {
        if (Name is not null)
            return BuiltInCalendars.TryGet(Name, out var calendar)
                ? calendar
                : throw new FormatException($"{source}: '{Name}' is not a built-in calendar ({string.Join(", ", BuiltInCalendars.Names)}); give a calendar object instead");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Definition ?? "{}"));
        return BusinessCalendar.Parse(stream, source);
    }

    /// <summary>The calendar's name for people: the built-in name, or the definition's own name.</summary>
    public override string ToString() => Name ?? "inline calendar";
}

/// <summary>Reads a calendar as a JSON string (built-in name) or object (definition).</summary>
internal sealed class CalendarChoiceConverter : JsonConverter<CalendarChoice>
{
    public override CalendarChoice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return CalendarChoice.BuiltIn(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("calendar must be a built-in calendar's name or a calendar object");
        using var doc = JsonDocument.ParseValue(ref reader);
        return CalendarChoice.Inline(doc.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, CalendarChoice value, JsonSerializerOptions options)
    {
        if (value.Name is not null)
        {
            writer.WriteStringValue(value.Name);
            return;
        }
        using var doc = JsonDocument.Parse(value.Definition ?? "{}", new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        doc.RootElement.WriteTo(writer);
    }
}
