using System.Net;
using System.Text.Json;
using Analytics.Storage.Ingestion;

namespace Analytics.Reliability.Tests;

/// <summary>
/// The corpus dropped into the inbox of a running worker: each broken file is moved to rejected/ with its reason,
/// each good one to archive/, the API answers throughout, and the worker keeps running. A file written slowly under
/// its final name is loaded whole, and follow-up work left by a kill after a commit is done at the next start.
/// </summary>
public sealed class InboxUnderFireTests(RunningWorker worker) : IClassFixture<RunningWorker>
{
    [Fact]
    public async Task EveryHostileFileIsRejectedWithItsReasonAndTheWorkerKeepsGoing()
    {
        // Inputs that need limits of their own, and paths that are no file in a folder listing, are for the loader's suite.
        var inputs = HostileCorpus.All.Where(i => i.Limits is null && i.Name is not ("file-a-folder.csv" or "file-missing.csv")).ToList();
        var staging = Path.Combine(worker.Inbox, "..", "staging");
        Directory.CreateDirectory(staging);
        Directory.CreateDirectory(worker.Inbox);
        foreach (var input in inputs)
        {
            var written = input.Write(staging);
            if (input.Mapping is { } mapping)
                await File.WriteAllTextAsync(Path.Combine(worker.Inbox, Path.GetFileNameWithoutExtension(input.Name) + ".mapping.json"), MappingJson(mapping));
            var target = Path.Combine(worker.Inbox, input.Name);
            if (new FileInfo(written).LinkTarget is { } link)
                File.CreateSymbolicLink(target, link);
            else
                File.Move(written, target);
        }
        var good = Path.Combine(worker.Inbox, "zz-good.csv");
        await File.WriteAllTextAsync(good, HostileCorpus.Csv(50, prefix: "good-"));

        // The API answers while the inbox is worked through.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.EnumerateFileSystemEntries(worker.Inbox).Any(p => !Path.GetFileName(p).EndsWith(".mapping.json", StringComparison.Ordinal)
                   && Path.GetFileName(p) is not ("archive" or "rejected")))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(4), "the inbox was not worked through in four minutes: "
                + string.Join(", ", Directory.EnumerateFileSystemEntries(worker.Inbox).Select(Path.GetFileName)));
            using var stats = await worker.Client.GetAsync("/api/stats");
            Assert.Contains(stats.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
            Assert.True(worker.IsRunning, "the worker stopped");
            await Task.Delay(250);
        }

        var rejected = Path.Combine(worker.Inbox, "rejected");
        var archive = Path.Combine(worker.Inbox, "archive");
        foreach (var input in inputs)
        {
            if (input.Expected == Outcome.Refused)
            {
                Assert.True(File.Exists(Path.Combine(rejected, input.Name)) || new FileInfo(Path.Combine(rejected, input.Name)).LinkTarget is not null,
                    $"{input.Name} is not in rejected/");
                var reason = await File.ReadAllTextAsync(Path.Combine(rejected, input.Name + ".reason.txt"));
                var words = input.Name.StartsWith("file-link", StringComparison.Ordinal) ? ["outside the inbox"] : input.Reason;
                foreach (var word in words)
                    Assert.True(reason.Contains(word, StringComparison.OrdinalIgnoreCase), $"{input.Name}: the reason should say '{word}': {reason}");
            }
            else
                Assert.True(File.Exists(Path.Combine(archive, input.Name)), $"{input.Name} should be archived");
        }
        Assert.True(File.Exists(Path.Combine(archive, "zz-good.csv")));
        using var doc = JsonDocument.Parse(await worker.Client.GetStringAsync("/api/stats"));
        Assert.True(worker.IsRunning);
        var loadedGood = await worker.Store.RunAsync(s => s.Long("SELECT count(*) FROM events WHERE case_id LIKE 'good-%'"), CancellationToken.None);
        Assert.Equal(150, loadedGood);
    }

    /// <summary>A file that grows for a while under its final name is taken once it has settled: all of it, once.</summary>
    [Fact]
    public async Task AFileWrittenSlowlyUnderItsFinalNameIsLoadedWhole()
    {
        Directory.CreateDirectory(worker.Inbox);
        var text = HostileCorpus.Csv(400, prefix: "slow-");
        var path = Path.Combine(worker.Inbox, "slow.csv");
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            var chunk = bytes.Length / 20;
            for (var at = 0; at < bytes.Length; at += chunk)
            {
                await file.WriteAsync(bytes.AsMemory(at, Math.Min(chunk, bytes.Length - at)));
                await file.FlushAsync();
                await Task.Delay(100); // under the settle time (0.3 s) between writes, two seconds in all
            }
        }
        var archived = Path.Combine(worker.Inbox, "archive", "slow.csv");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(archived) && !File.Exists(Path.Combine(worker.Inbox, "rejected", "slow.csv")))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "slow.csv was not taken");
            await Task.Delay(100);
        }

        Assert.True(File.Exists(archived), "slow.csv was rejected");
        Assert.Equal(1200, await worker.Store.RunAsync(s => s.Long("SELECT count(*) FROM events WHERE case_id LIKE 'slow-%'"), CancellationToken.None));
        Assert.Equal(1, await worker.Store.RunAsync(s => s.Long("SELECT count(*) FROM files WHERE path LIKE '%slow.csv'"), CancellationToken.None));
    }

    private static string MappingJson(ColumnMapping mapping)
    {
        var fields = new List<string>();
        if (mapping.Encoding != ColumnMapping.Default.Encoding)
            fields.Add($"\"encoding\": \"{mapping.Encoding}\"");
        if (mapping.CaseAttributes.Count > 0)
            fields.Add($"\"caseAttributes\": [{string.Join(", ", mapping.CaseAttributes.Select(a => $"\"{a}\""))}]");
        return "{" + string.Join(", ", fields) + "}";
    }
}
