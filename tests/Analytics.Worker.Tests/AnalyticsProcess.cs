using System.Diagnostics;
using System.Text.Json;

namespace Analytics.Worker.Tests;

/// <summary>Runs the built <c>analytics</c> executable as a separate process, as a user or script would.</summary>
internal static class AnalyticsProcess
{
    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "analytics.dll");

    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            info.Environment[k] = v;
        return Process.Start(info)!;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<JsonElement> RunJsonAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync([.. args, "--json"]);
        Assert.True(code == 0, $"analytics {string.Join(' ', args)} exited {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }
}
