using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Analytics.Application;
using Analytics.Application.Ingestion;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Storage;
using Analytics.Storage.Ingestion;
using Analytics.Testing;
using DuckDB.NET.Data;
using Xunit.Abstractions;

namespace Analytics.Reliability.Tests;

/// <summary>
/// <c>kill -9</c> at random moments: the worker while its inbox takes six files of new orders (load, monitor, routing,
/// messages), and <c>analytics ingest</c> while it loads them. After a restart that finishes the work, the store must
/// equal that of a run never killed: every event once, every order's suggestion once, every message once, no
/// follow-up owed. The moments are drawn from a seed printed with the figures, so a failure can be replayed.
/// </summary>
public sealed partial class KillTests(ITestOutputHelper output) : IDisposable
{
    private const int Trials = 12;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The exact state the finding was about: a file committed, its follow-up never started.</summary>
    [Fact]
    public async Task TheFollowUpOfAFileCommittedJustBeforeAKillIsDoneAtTheNextStart()
    {
        var trained = await TrainedStore.GetAsync();
        var reference = trained.CopyTo(_temp.File("reference.duckdb"));
        var killed = trained.CopyTo(_temp.File("killed.duckdb"));
        var batch = trained.Batches[0];
        var mapping = ColumnMapping.Load(trained.Mapping);
        // The reference: the worker's own path, load and follow-up.
        using (var store = new SharedStore(EventStore.Open(reference, create: false)))
        {
            using var routing = new RoutingService(store, TimeProvider.System);
            await new IngestService(store, TimeProvider.System, new SpcService(store, TimeProvider.System), routing)
                .LoadInboxFileAsync(batch, mapping, 0.05, new IngestLimits(), CancellationToken.None);
        }
        // The kill: the load's transaction committed (with its pending row), then nothing.
        using (var store = EventStore.Open(killed, create: false))
            Assert.Equal(ImportStatus.Loaded, (await new EventLogLoader(store, new IngestOptions { RecordFollowUp = true }, TimeProvider.System)
                .LoadAsync(batch, mapping, null, CancellationToken.None)).Status);
        Assert.Equal(1, Snapshot.Of(killed).PendingFollowUps);
        Assert.Empty(Snapshot.Of(killed).Suggestions);

        // The next start of the worker does what was owed before it watches the inbox.
        var worker = WorkerProcess.Start(killed, _temp.File("inbox"));
        await worker.WaitHealthyAsync();
        await WaitAsync(() => worker.Log.Contains("Resumed the follow-up", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        await worker.StopAsync();

        var expected = Snapshot.Of(reference);
        var actual = Snapshot.Of(killed);
        Assert.True(expected.Suggestions.Count > 50, $"the reference routed {expected.Suggestions.Count} orders");
        Assert.Equal(expected.Suggestions, actual.Suggestions);
        Assert.Equal(expected.Messages, actual.Messages);
        Assert.Equal(0, actual.PendingFollowUps);
    }

    [Fact]
    public async Task KillsOfTheWorkerDuringItsInboxLoseAndDoubleNothing()
    {
        var trained = await TrainedStore.GetAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);

        // A run never killed: what every trial must end with, and how long the work takes.
        var (reference, duration) = await InboxRunAsync(trained, "reference", killAfter: null);
        Assert.Equal(0, reference.PendingFollowUps);
        Assert.True(reference.Suggestions.Count > 300, $"the reference routed {reference.Suggestions.Count} orders");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inbox reference: {reference.Events:N0} events, {reference.Suggestions.Count} suggestions, {reference.Messages.Count} messages, work {duration.TotalSeconds:F1} s; seed {seed}"));

        var resumed = 0;
        var reference0 = Snapshot.Of(trained.Template).Suggestions.Count;
        for (var trial = 1; trial <= Trials; trial++)
        {
            var at = TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds * 1.1);
            var (atKill, actual, restartLog) = await InboxTrialAsync(trained, $"trial-{trial}", at);
            var wasResumed = restartLog.Contains("Resumed the follow-up", StringComparison.Ordinal);
            resumed += wasResumed ? 1 : 0;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trial {trial}: killed at {at.TotalSeconds:F2} s with {atKill.Files - Snapshot.Of(trained.Template).Files} of 6 files committed and {atKill.Suggestions.Count - reference0} suggestions; " +
                $"after the restart {actual.Events:N0} events, {actual.Suggestions.Count} suggestions, {actual.Messages.Count} messages{(wasResumed ? "; follow-up resumed at restart" : "")}"));
            actual.AssertSameAs(reference, $"trial {trial} (seed {seed}, killed at {at.TotalSeconds:F2} s)");
        }
        output.WriteLine($"inbox: {Trials} kills, 0 events lost or doubled, 0 suggestions or messages lost or doubled; {resumed} restarts resumed a follow-up");
    }

    [Fact]
    public async Task KillsOfIngestLoseAndDoubleNothing()
    {
        var trained = await TrainedStore.GetAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var args = trained.Batches.Concat(["--mapping", trained.Mapping]).ToArray();

        var referenceDb = trained.CopyTo(_temp.File("cli-reference.duckdb"));
        var watch = Stopwatch.StartNew();
        var (code, _, stderr) = await RunToEndAsync(["ingest", .. args, "--db", referenceDb]);
        var duration = watch.Elapsed;
        Assert.True(code == 0, stderr);
        var reference = Snapshot.Of(referenceDb);
        Assert.Equal(trained.BatchEvents, reference.Events - Snapshot.Of(trained.Template).Events);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest reference: {reference.Events:N0} events, {duration.TotalSeconds:F1} s; seed {seed}"));

        for (var trial = 1; trial <= Trials; trial++)
        {
            var db = trained.CopyTo(_temp.File($"cli-{trial}.duckdb"));
            var at = TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds);
            using (var process = Start(["ingest", .. args, "--db", db]))
            {
                await Task.Delay(at);
                Kill(process);
            }
            var partial = Snapshot.Of(db);
            var (again, _, againErr) = await RunToEndAsync(["ingest", .. args, "--db", db]);
            Assert.True(again == 0, $"trial {trial}: the rerun exited {again}: {againErr}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trial {trial}: killed at {at.TotalSeconds:F2} s with {partial.Files - Snapshot.Of(trained.Template).Files} of 6 files committed; after the rerun {Snapshot.Of(db).Events:N0} events"));
            Snapshot.Of(db).AssertSameAs(reference, $"ingest trial {trial} (seed {seed}, killed at {at.TotalSeconds:F2} s)");
        }
        output.WriteLine($"ingest: {Trials} kills, 0 events lost or doubled");
    }

    /// <summary>One worker run over the batches: the files dropped into the inbox once it is up; killed after a while, or not.</summary>
    private async Task<(Snapshot State, TimeSpan Work)> InboxRunAsync(TrainedStore trained, string name, TimeSpan? killAfter)
    {
        var db = trained.CopyTo(_temp.File(name + ".duckdb"));
        var inbox = _temp.File(name + "-inbox");
        var worker = WorkerProcess.Start(db, inbox);
        await worker.WaitHealthyAsync();
        var watch = Stopwatch.StartNew();
        Drop(trained, inbox);
        if (killAfter is { } at)
        {
            await Task.Delay(at);
            worker.Kill();
            return (Snapshot.Of(db), watch.Elapsed);
        }
        await WaitAsync(() => InboxDone(inbox), TimeSpan.FromMinutes(3));
        var work = watch.Elapsed;
        await worker.StopAsync();
        return (Snapshot.Of(db), work);
    }

    private async Task<(Snapshot AtKill, Snapshot State, string RestartLog)> InboxTrialAsync(TrainedStore trained, string name, TimeSpan killAt)
    {
        var (atKill, _) = await InboxRunAsync(trained, name, killAt);
        var db = _temp.File(name + ".duckdb");
        var inbox = _temp.File(name + "-inbox");
        // The restart finishes the work: what was owed first, then what is left in the inbox.
        var worker = WorkerProcess.Start(db, inbox);
        await worker.WaitHealthyAsync();
        await WaitAsync(() => InboxDone(inbox), TimeSpan.FromMinutes(3));
        await worker.StopAsync();
        Assert.Empty(Directory.Exists(Path.Combine(inbox, "rejected")) ? Directory.GetFiles(Path.Combine(inbox, "rejected")) : []);
        return (atKill, Snapshot.Of(db), worker.Log);
    }

    /// <summary>The batches dropped the way a careful sender does: written under a .part name, then renamed.</summary>
    private static void Drop(TrainedStore trained, string inbox)
    {
        File.Copy(trained.Mapping, Path.Combine(inbox, "mapping.json"), overwrite: true);
        foreach (var batch in trained.Batches)
        {
            var part = Path.Combine(inbox, Path.GetFileName(batch) + ".part");
            File.Copy(batch, part);
            File.Move(part, Path.Combine(inbox, Path.GetFileName(batch)));
        }
    }

    private static bool InboxDone(string inbox) =>
        Directory.GetFiles(inbox).All(f => Path.GetFileName(f) == "mapping.json") && Directory.Exists(Path.Combine(inbox, "archive"));

    private static async Task WaitAsync(Func<bool> done, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            if (watch.Elapsed > limit)
                throw new TimeoutException($"not done within {limit.TotalSeconds:0} s");
            await Task.Delay(50);
        }
    }

    private static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics.dll"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int, string, string)> RunToEndAsync(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics.dll"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed.</summary>
    private static void Kill(Process process)
    {
        if (!process.HasExited)
            process.Kill();
        process.WaitForExit();
    }

    /// <summary>The worker as a separate process (<c>analytics serve</c>), its output collected.</summary>
    private sealed partial class WorkerProcess
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _log = new();
        private readonly HttpClient _http;

        private WorkerProcess(Process process, HttpClient http)
        {
            _process = process;
            _http = http;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Log
        {
            get
            {
                lock (_log)
                    return _log.ToString();
            }
        }

        public static WorkerProcess Start(string db, string inbox)
        {
            Directory.CreateDirectory(inbox);
            var port = RunningWorker.FreePort();
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics.dll"));
            foreach (var a in new[] { "serve", "--db", db, "--inbox", inbox, "--urls", $"http://127.0.0.1:{port}" })
                info.ArgumentList.Add(a);
            info.Environment["Analytics__ApiKey"] = "kill-test";
            info.Environment["Analytics__InboxPollSeconds"] = "0.2";
            info.Environment["Analytics__InboxSettleSeconds"] = "0";
            info.Environment["Analytics__Reports"] = Path.Combine(inbox, "..", Path.GetFileName(inbox) + "-reports");
            return new WorkerProcess(Process.Start(info)!, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) });
        }

        public async Task WaitHealthyAsync()
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"the worker exited {_process.ExitCode}: {Log}");
                try
                {
                    if ((await _http.GetAsync("/api/health")).IsSuccessStatusCode)
                        return;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && watch.Elapsed < TimeSpan.FromMinutes(1))
                {
                }
                await Task.Delay(50);
            }
        }

        public void Kill()
        {
            KillTests.Kill(_process);
            _http.Dispose();
        }

        /// <summary>SIGTERM, as a service manager stops it; the worker ends its current work and exits.</summary>
        public async Task StopAsync()
        {
            _ = SendSignal(_process.Id, 15);
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await _process.WaitForExitAsync(bound.Token);
            _http.Dispose();
            Assert.True(_process.ExitCode is 0 or 130, $"the worker exited {_process.ExitCode}: {Log}");
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
                return;
            lock (_log)
                _log.AppendLine(line);
        }

        [LibraryImport("libc", EntryPoint = "kill")]
        private static partial int SendSignal(int pid, int signal);
    }

    /// <summary>What a run leaves in the store, independent of file numbering and timing.</summary>
    private sealed record Snapshot(long Events, long Cases, long Files, long Quarantined, long DoubledEvents, string EventsHash,
        IReadOnlyList<string> Suggestions, IReadOnlyList<string> Messages, long PendingFollowUps)
    {
        public static Snapshot Of(string db)
        {
            using var connection = new DuckDBConnection($"DataSource={db};ACCESS_MODE=READ_ONLY");
            connection.Open();
            long Long(string sql) => Convert.ToInt64(Scalar(connection, sql), CultureInfo.InvariantCulture);
            List<string> Strings(string sql)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                using var r = cmd.ExecuteReader();
                var list = new List<string>();
                while (r.Read())
                    list.Add(r.GetString(0));
                return list;
            }
            return new Snapshot(
                Long("SELECT count(*) FROM events"),
                Long("SELECT count(*) FROM cases"),
                Long("SELECT count(*) FROM files"),
                Long("SELECT count(*) FROM quarantine"),
                Long("SELECT count(*) - count(DISTINCT (case_id, activity, ts)) FROM events"),
                Scalar(connection, "SELECT md5(string_agg(case_id || '|' || activity || '|' || epoch_us(ts), ',' ORDER BY case_id, ts, activity)) FROM events")?.ToString() ?? "",
                Strings("SELECT case_id || ' v' || model_version || ' ' || route || ' ' || coalesce(round(probability, 6)::VARCHAR, '-') FROM routing_suggestions ORDER BY ALL"),
                Strings("SELECT idempotency_key FROM outbox WHERE kind = 'routing-suggestion' ORDER BY ALL"),
                Long("SELECT count(*) FROM pending_followups"));
        }

        private static object? Scalar(DuckDBConnection connection, string sql)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            var value = cmd.ExecuteScalar();
            return value is DBNull ? null : value;
        }

        public void AssertSameAs(Snapshot reference, string what)
        {
            Assert.True(Events == reference.Events, $"{what}: {Events:N0} events, {reference.Events:N0} in a run never killed");
            Assert.True(EventsHash == reference.EventsHash, $"{what}: the events differ from a run never killed");
            Assert.True(DoubledEvents == reference.DoubledEvents, $"{what}: {DoubledEvents} events doubled");
            Assert.True(Cases == reference.Cases && Files == reference.Files && Quarantined == reference.Quarantined,
                $"{what}: {Cases} cases, {Files} files, {Quarantined} quarantined; a run never killed: {reference.Cases}, {reference.Files}, {reference.Quarantined}");
            Assert.True(Suggestions.SequenceEqual(reference.Suggestions),
                $"{what}: {Suggestions.Count} suggestions ({Suggestions.Except(reference.Suggestions).Count()} not in a run never killed, {reference.Suggestions.Except(Suggestions).Count()} missing)");
            Assert.True(Messages.SequenceEqual(reference.Messages), $"{what}: {Messages.Count} messages, {reference.Messages.Count} in a run never killed");
            Assert.True(PendingFollowUps == 0, $"{what}: {PendingFollowUps} follow-ups still owed");
        }
    }
}
