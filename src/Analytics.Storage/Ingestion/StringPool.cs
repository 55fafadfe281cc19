using System.Text;

namespace Analytics.Storage.Ingestion;

/// <summary>Interns UTF-8 strings that repeat across rows (activities, resources, attribute keys) so each is allocated once.</summary>
internal sealed class StringPool
{
    private const int MaxEntries = 100_000;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private char[] _chars = new char[256];

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (_chars.Length < utf8.Length)
            _chars = new char[utf8.Length * 2];
        var n = Encoding.UTF8.GetChars(utf8, _chars);
        var chars = _chars.AsSpan(0, n);
        if (_lookup.TryGetValue(chars, out var s))
            return s;
        s = new string(chars);
        // A pool of unique values (ids) would only grow; past the cap, strings are simply not interned.
        if (_strings.Count < MaxEntries)
            _strings.Add(s, s);
        return s;
    }
}
