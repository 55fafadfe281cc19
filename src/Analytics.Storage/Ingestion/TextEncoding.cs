using System.Text;

namespace Analytics.Storage.Ingestion;

/// <summary>The text encodings a CSV may be in.</summary>
internal static class TextEncoding
{
    static TextEncoding() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Resolves a mapping's encoding name; UTF-8 returns <c>null</c> (read as is).</summary>
    public static Encoding? Resolve(string name, string source) =>
        name.Trim().ToUpperInvariant() switch
        {
            "UTF-8" or "UTF8" => null,
            "GB18030" or "GBK" or "GB2312" or "CP936" => System.Text.Encoding.GetEncoding("GB18030"),
            _ => throw new InvalidDataException($"{source}: unsupported encoding '{name}' (use utf-8 or gb18030)"),
        };
}
