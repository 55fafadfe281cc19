namespace Analytics.Benchmarks;

/// <summary>The repository's ../shared folder, found from the build output.</summary>
internal static class Paths
{
    public static string RealLog(string name)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Analytics.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
        return Path.GetFullPath(Path.Combine(root, "..", "shared", "real-logs", name));
    }
}
