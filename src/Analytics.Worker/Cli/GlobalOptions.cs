using System.CommandLine;

namespace Analytics.Worker.Cli;

/// <summary>Options every verb takes.</summary>
internal static class GlobalOptions
{
    public static Option<string?> Db { get; } = new("--db")
    {
        Description = "The database file (default: Analytics:Database in appsettings.json, or Analytics__Database; data/analytics.duckdb).",
        Recursive = true,
        HelpName = "PATH",
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the answer as one JSON document on stdout and nothing else there.",
        Recursive = true,
    };

    public static Option<bool> Create { get; } = new("--create")
    {
        Description = "Create the database if the file does not exist (ingest, demo and serve create it anyway).",
        Recursive = true,
    };

    public static Option<bool> Quiet { get; } = new("--quiet")
    {
        Description = "Leave out the notes on stderr about the defaults used.",
        Recursive = true,
    };
}
