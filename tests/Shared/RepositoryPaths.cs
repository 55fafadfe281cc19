namespace Analytics.Testing;

/// <summary>Finds the repository root (the folder with Analytics.sln) and <c>../shared</c> beside it, as CI lays them out.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string RealLogs => Path.Combine(Shared, "real-logs");

    public static string DataSamples => Path.Combine(Root, "data-samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analytics.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
    }
}
