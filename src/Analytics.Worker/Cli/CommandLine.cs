namespace Analytics.Worker.Cli;

/// <summary>
/// A parsed command line: <c>analytics VERB [SUBVERB] [positional…] [--flag] [--option value]</c>.
/// Options may be written <c>--name value</c> or <c>--name=value</c>.
/// </summary>
internal sealed class CommandLine
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "json", "help", "exclude-signalled", "round-lambda" };
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    private CommandLine(string verb, IReadOnlyList<string> positionals)
    {
        Verb = verb;
        Positionals = positionals;
    }

    public string Verb { get; }

    public IReadOnlyList<string> Positionals { get; }

    public bool Json => Has("json");

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var positionals = new List<string>();
        var options = new List<(string, string?)>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                positionals.Add(a);
                continue;
            }
            var name = a[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (!Flags.Contains(name))
            {
                if (i + 1 >= args.Count)
                    throw new UsageException($"option --{name} needs a value");
                value = args[++i];
            }
            options.Add((name, value));
        }
        var verb = positionals.Count > 0 ? positionals[0] : "serve";
        var line = new CommandLine(verb, positionals.Skip(1).ToList());
        foreach (var (name, value) in options)
        {
            if (!line._options.TryGetValue(name, out var list))
                line._options[name] = list = [];
            list.Add(value ?? "true");
        }
        return line;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public IReadOnlyList<string> Options(string name) => _options.TryGetValue(name, out var v) ? v : [];

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public string Required(string name) => Option(name) ?? throw new UsageException($"{Verb} needs --{name}");

    public int Int(string name, int fallback) =>
        Option(name) is not { } v ? fallback
        : int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw new UsageException($"--{name} must be a whole number, not '{v}'");

    /// <summary>Fails on options this verb does not know, so a typo is not silently ignored.</summary>
    public void Allow(params string[] names)
    {
        var known = new HashSet<string>(names.Concat(["db", "json", "help"]), StringComparer.Ordinal);
        var unknown = _options.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"{Verb}: unknown option{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
