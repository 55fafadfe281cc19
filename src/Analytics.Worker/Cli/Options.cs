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

    /// <summary>A number; NaN and infinities are refused with the option's name.</summary>
    public static Option<double?> Number(string name, string description, string? helpName = null)
    {
        var option = new Option<double?>(name) { Description = description, HelpName = helpName ?? "NUMBER" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } v && !double.IsFinite(v))
                r.AddError($"{name}: {v.ToString(CultureInfo.InvariantCulture)} is not a finite number");
        });
        return option;
    }

    /// <summary>A whole number within a range, with its default shown in the help.</summary>
    public static Option<int> Int(string name, string description, int fallback, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback, HelpName = "N" };
        option.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<int>();
            if (v < min || v > max)
                r.AddError($"{name}: {v} is outside {min}–{max}");
        });
        return option;
    }

    /// <summary>A choice among names, with its default shown in the help.</summary>
    public static Option<string> Choice(string name, string description, string fallback, params string[] choices)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }
}
