using System.Text;

namespace Analytics.Storage.Ingestion;

/// <summary>The text encodings a CSV may be in.</summary>
internal static class TextEncoding
{
    static TextEncoding() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Resolves a mapping's encoding name; UTF-8 returns <c>null</c> (read as is).</summary>
    /// <remarks>Decoding is strict: a byte the encoding does not have refuses the file instead of becoming U+FFFD.</remarks>
    public static Encoding? Resolve(string name, string source) =>
        name.Trim().ToUpperInvariant() switch
        {
            "UTF-8" or "UTF8" => null,
            "GB18030" or "GBK" or "GB2312" or "CP936" => Strict("GB18030"),
            "LATIN1" or "LATIN-1" or "ISO-8859-1" or "ISO8859-1" => Strict("ISO-8859-1"),
            "WINDOWS-1252" or "CP1252" => Strict("windows-1252"),
            "UTF-16" or "UTF-16LE" or "UTF16" => Strict("utf-16"),
            "UTF-16BE" => Strict("utf-16BE"),
            _ => throw new InvalidDataException($"{source}: unsupported encoding '{name}' (utf-8, gb18030, latin1, windows-1252, utf-16, utf-16be)"),
        };

    private static Encoding Strict(string name) => System.Text.Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
}
