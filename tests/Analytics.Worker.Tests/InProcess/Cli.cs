using Analytics.Worker.Cli;

namespace Analytics.Worker.Tests.InProcess;

/// <summary>Runs a command line inside the test process, capturing what it prints.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AnalyticsCli.RunAsync(args, output, error, interactive: false, TimeProvider.System, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
