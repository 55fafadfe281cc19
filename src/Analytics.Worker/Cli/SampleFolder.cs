namespace Analytics.Worker.Cli;

/// <summary>Finds the repository's <c>data-samples/</c> folder from the working directory or the executable's folder.</summary>
internal static class SampleFolder
{
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data-samples");
                if (Directory.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
