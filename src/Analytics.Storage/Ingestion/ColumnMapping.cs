using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Storage.Ingestion;

/// <summary>
/// How a tabular source (CSV, Parquet, JSON Lines) maps onto events, read from a JSON mapping file. XES needs no
/// mapping; only <see cref="TimeZone"/> applies to it.
/// </summary>
/// <remarks>
/// Column names are matched exactly. Timestamps with an offset are honoured; naive ones are read in
/// <see cref="TimeZone"/> (an IANA name, default UTC). <see cref="TimestampFormats"/> are DuckDB <c>strptime</c>
/// patterns (e.g. <c>%d/%m/%Y %H:%M</c>, with <c>%z</c> for an offset); without any, ISO 8601 is expected.
/// </remarks>
public sealed record ColumnMapping
{
    /// <summary>The default mapping: columns named case_id, activity, timestamp, resource, role, lifecycle.</summary>
    public static ColumnMapping Default { get; } = new();

    /// <summary>Column holding the case id.</summary>
    public string CaseId { get; init; } = "case_id";

    /// <summary>Column holding the activity (node) name.</summary>
    public string Activity { get; init; } = "activity";

    /// <summary>Column holding the timestamp.</summary>
    public string Timestamp { get; init; } = "timestamp";

    /// <summary>Column holding the resource (approver); optional.</summary>
    public string? Resource { get; init; } = "resource";

    /// <summary>Column holding the role (approval node's role); optional.</summary>
    public string? Role { get; init; } = "role";

    /// <summary>Column holding the lifecycle transition (start, complete); optional.</summary>
    public string? Lifecycle { get; init; } = "lifecycle";

    /// <summary>Columns that describe the case, not the event; typed by their values (number, boolean, timestamp or string).</summary>
    public IReadOnlyList<string> CaseAttributes { get; init; } = [];

    /// <summary>Columns kept as event attributes; <c>null</c> means every column not mapped otherwise.</summary>
    public IReadOnlyList<string>? EventAttributes { get; init; }

    /// <summary>IANA time zone for timestamps without an offset.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>strptime patterns tried in order; empty means ISO 8601.</summary>
    public IReadOnlyList<string> TimestampFormats { get; init; } = [];

    /// <summary>CSV field delimiter.</summary>
    public string Delimiter { get; init; } = ",";

    /// <summary>CSV quote character.</summary>
    public string Quote { get; init; } = "\"";

    /// <summary>CSV text encoding: <c>utf-8</c> (with or without BOM) or <c>gb18030</c> (also accepts gbk, gb2312).</summary>
    public string Encoding { get; init; } = "utf-8";

    /// <summary>The mapped optional columns that are present, by role.</summary>
    internal IEnumerable<string> MappedColumns() =>
        new[] { CaseId, Activity, Timestamp, Resource, Role, Lifecycle }.Where(c => !string.IsNullOrEmpty(c)).Select(c => c!);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a mapping file.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid mapping; the message says why.</exception>
    public static ColumnMapping Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var mapping = JsonSerializer.Deserialize<ColumnMapping>(stream, Options)
                ?? throw new InvalidDataException($"{path}: the mapping is empty");
            mapping.Validate(path);
            return mapping;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid mapping: {ex.Message}", ex);
        }
    }

    /// <summary>The mapping beside a log file (<c>orders.csv</c> → <c>orders.mapping.json</c>), if there is one.</summary>
    /// <param name="logPath">The log file.</param>
    /// <returns>The mapping, or null.</returns>
    /// <exception cref="InvalidDataException">The mapping file is invalid.</exception>
    public static ColumnMapping? ForFile(string logPath)
    {
        var name = System.IO.Path.GetFileName(logPath);
        var stem = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? System.IO.Path.GetFileNameWithoutExtension(name) : name;
        var sidecar = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(logPath))!, System.IO.Path.GetFileNameWithoutExtension(stem) + ".mapping.json");
        return File.Exists(sidecar) ? Load(sidecar) : null;
    }

    /// <summary>Checks the mapping's values.</summary>
    /// <param name="source">Named in messages.</param>
    /// <exception cref="InvalidDataException">A value is out of range.</exception>
    public void Validate(string source)
    {
        if (string.IsNullOrWhiteSpace(CaseId) || string.IsNullOrWhiteSpace(Activity) || string.IsNullOrWhiteSpace(Timestamp))
            throw new InvalidDataException($"{source}: caseId, activity and timestamp columns must be named");
        if (Delimiter.Length != 1 && Delimiter != "\\t")
            throw new InvalidDataException($"{source}: delimiter must be one character, not '{Delimiter}'");
        if (Quote.Length != 1)
            throw new InvalidDataException($"{source}: quote must be one character, not '{Quote}'");
        _ = ResolveTimeZone(source);
        _ = TextEncoding.Resolve(Encoding, source);
    }

    internal TimeZoneInfo ResolveTimeZone(string source)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new InvalidDataException($"{source}: unknown time zone '{TimeZone}' (use an IANA name such as Asia/Shanghai)", ex);
        }
    }
}
