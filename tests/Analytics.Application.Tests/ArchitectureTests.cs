using System.Text.RegularExpressions;
using System.Xml.Linq;
using Analytics.Testing;

namespace Analytics.Application.Tests;

/// <summary>The shape of docs/architecture.md, checked on the project files and the built assemblies.</summary>
public sealed partial class ArchitectureTests
{
    private static Dictionary<string, IReadOnlyList<string>> ProjectReferences() =>
        Directory.EnumerateFiles(RepositoryPaths.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => (IReadOnlyList<string>)XDocument.Load(p).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))).ToList());

    [Fact]
    public void OnlyTheWorkersTestsReferenceTheWorker()
    {
        var referencing = ProjectReferences().Where(p => p.Value.Contains("Analytics.Worker")).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

        // The worker's own tests, and the reliability suite (hostile inputs, requests and kills against the whole worker).
        Assert.Equal(["Analytics.Reliability.Tests", "Analytics.Worker.Tests"], referencing);
    }

    [Fact]
    public void DependenciesPointInward()
    {
        var projects = ProjectReferences();

        Assert.Empty(projects["Analytics.Core"]);
        Assert.Equal(["Analytics.Core"], projects["Analytics.Storage"]);
        Assert.Equal(["Analytics.Core"], projects["Analytics.Ml"]);
        Assert.Equal(["Analytics.Core"], projects["Analytics.Reports"]);
        Assert.Equal(["Analytics.Application"], projects["Analytics.Worker"]);
        // And in what was built: Reports renders records, it never opens the store.
        var reports = typeof(Analytics.Reports.WeeklyReport).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("Analytics.Storage", reports);
        Assert.DoesNotContain("DuckDB.NET.Data", reports);
    }

    [Fact]
    public void NothingOutsideTheCommandLineUsesAVerbClass()
    {
        var cli = Path.Combine(RepositoryPaths.Root, "src", "Analytics.Worker", "Cli");
        var verbs = Directory.EnumerateFiles(cli, "*Command.cs").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Contains("IngestCommand", verbs);
        var outside = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(cli, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && Path.GetFileName(f) != "Program.cs")
            .SelectMany(f => verbs.Where(v => Regex.IsMatch(File.ReadAllText(f), $@"\b{v}\b")).Select(v => $"{Path.GetRelativePath(RepositoryPaths.Root, f)} uses {v}"))
            .ToList();

        Assert.Empty(outside);
    }
}
