using System.Diagnostics;
using Analytics.Core.Simulation;
using Analytics.Storage.Export;

namespace Analytics.Application.Simulation;

/// <summary>Writes a simulated special-price approval log (and its truth) from the demo's process model.</summary>
public static class GenerateService
{
    /// <summary>Runs the simulation into a file.</summary>
    /// <param name="model">The process model (orders, seeds, routing, window).</param>
    /// <param name="output">The log file; its extension names the format unless <paramref name="format"/> does.</param>
    /// <param name="format">csv, parquet, xes or jsonl; null takes it from the file name.</param>
    /// <param name="truth">Where the truth goes (which orders a PM would change, the defects), or null.</param>
    /// <param name="cancellationToken">Stops the simulation; the partial file is removed.</param>
    public static async Task<Result<GeneratedLog>> RunAsync(ApprovalProcessModel model, string output, string? format, string? truth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        format ??= Path.GetExtension(output.EndsWith(".gz", StringComparison.Ordinal) ? output[..^3] : output).TrimStart('.').ToLowerInvariant();
        if (format is not ("csv" or "parquet" or "xes" or "jsonl"))
            return Result.Fail<GeneratedLog>(ProblemKind.Invalid, $"generate: unknown format '{format}' (csv, parquet, xes, jsonl; or name the file so)");
        if (model.Orders <= 0 || model.Days <= 0)
            return Result.Fail<GeneratedLog>(ProblemKind.Invalid, "generate: --orders and --days must be positive");
        var folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        var watch = Stopwatch.StartNew();
        var simulator = new ApprovalSimulator(model);
        SimulationSummary summary;
        try
        {
            using (var writer = SimulatedLogWriter.Create(format, output, truth))
            {
                // The simulation runs on a worker thread so that a writer may do its I/O asynchronously meanwhile.
                summary = await Task.Run(() => simulator.Run(writer, cancellationToken), cancellationToken);
                await writer.CompleteAsync();
            }
        }
        catch (OperationCanceledException)
        {
            File.Delete(output);
            if (truth is not null)
                File.Delete(truth);
            throw;
        }
        return Result.Ok(new GeneratedLog(Path.GetFullPath(output), format, truth is null ? null : Path.GetFullPath(truth), summary, simulator.PoolSizes, watch.Elapsed));
    }
}

/// <summary>A written simulated log.</summary>
/// <param name="Output">The log file.</param>
/// <param name="Format">Its format.</param>
/// <param name="Truth">The truth file, or null.</param>
/// <param name="Summary">Orders, events, shares.</param>
/// <param name="Pools">Approvers per role.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record GeneratedLog(string Output, string Format, string? Truth, SimulationSummary Summary, IReadOnlyDictionary<string, int> Pools, TimeSpan Elapsed);
