using System.CommandLine;
using System.Globalization;

namespace Analytics.Worker.Cli;

/// <summary>Makes options with one sentence of help each, and checks that numbers are finite.</summary>
internal static class Options
{
    public static Option<string?> Text(string name, string description, string? helpName = null) =>
        new(name) { Description = description, HelpName = helpName };

    public static Option<string[]> Many(string name, string description, string? helpName = null) =>
        new(name) { Description = description, HelpName = helpName, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>A number (invariant culture); text, NaN and infinities are refused with the option's name.</summary>
    public static Option<double?> Number(string name, string description, string? helpName = null) =>
        new(name)
        {
            Description = description,
            HelpName = helpName ?? "NUMBER",
            CustomParser = r =>
            {
                var token = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    r.AddError($"{name}: '{token}' is not a number");
                    return null;
                }
                if (!double.IsFinite(v))
                {
                    r.AddError($"{name}: '{token}' is not a finite number");
                    return null;
                }
                return v;
            },
        };

    /// <summary>A whole number within a range, with its default shown in the help; anything else is refused with the option's name.</summary>
    public static Option<int> Int(string name, string description, int fallback, int min, int max) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => fallback,
            HelpName = "N",
            CustomParser = r =>
            {
                var token = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
                {
                    r.AddError($"{name}: '{token}' is not a whole number ({min}–{max})");
                    return fallback;
                }
                if (v < min || v > max)
                    r.AddError($"{name}: {v} is outside {min}–{max}");
                return v;
            },
        };

    /// <summary>A whole number within a range that may be left out; anything else is refused with the option's name.</summary>
    public static Option<int?> OptionalInt(string name, string description, int min, int max, string helpName = "N") =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r =>
            {
                var token = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
                {
                    r.AddError($"{name}: '{token}' is not a whole number ({min}–{max})");
                    return null;
                }
                if (v < min || v > max)
                    r.AddError($"{name}: {v} is outside {min}–{max}");
                return v;
            },
        };

    /// <summary>A choice among names, with its default shown in the help.</summary>
    public static Option<string> Choice(string name, string description, string fallback, params string[] choices)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }
}
