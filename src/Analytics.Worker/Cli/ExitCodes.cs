namespace Analytics.Worker.Cli;

/// <summary>Process exit codes.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The job ran but part of it failed (e.g. a file was rejected).</summary>
    public const int Failed = 1;
    public const int Usage = 2;
    /// <summary>The database is held by another process or unreadable.</summary>
    public const int StoreUnavailable = 3;
}
