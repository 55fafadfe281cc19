namespace Analytics.Storage.Ingestion;

/// <summary>A typed case attribute value: one of text, number, boolean or instant, named by <see cref="Type"/>.</summary>
internal readonly record struct CaseAttributeValue(string Type, string? Text, double? Number, bool? Boolean, DateTime? Time)
{
    public static CaseAttributeValue OfText(string text) => new("string", text, null, null, null);

    public static CaseAttributeValue OfNumber(double number) => new("number", null, number, null, null);

    public static CaseAttributeValue OfBoolean(bool value) => new("boolean", null, null, value, null);

    public static CaseAttributeValue OfTime(DateTime utc) => new("timestamp", null, null, null, utc);
}
