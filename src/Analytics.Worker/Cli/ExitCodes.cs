using Analytics.Application;

namespace Analytics.Worker.Cli;

/// <summary>Process exit codes.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The job ran but part of it failed (e.g. a file was rejected), or what it needs is not there.</summary>
    public const int Failed = 1;

    /// <summary>The command line or a file it names is wrong; the message says how.</summary>
    public const int Usage = 2;

    /// <summary>The database is held by another process, missing, or not a database.</summary>
    public const int StoreUnavailable = 3;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT); nothing half-written.</summary>
    public const int Cancelled = 130;

    public static int For(ProblemKind kind) => kind switch
    {
        ProblemKind.Invalid => Usage,
        ProblemKind.Unavailable => StoreUnavailable,
        _ => Failed,
    };
}
