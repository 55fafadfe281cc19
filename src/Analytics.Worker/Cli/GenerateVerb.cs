using System.Diagnostics;
using System.Globalization;
using Analytics.Core.Simulation;
using Analytics.Storage.Export;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics generate --orders N --seed S --out FILE [--format csv|parquet|xes|jsonl] [--truth FILE]
/// [--routing as-is|share:S|score:T] [--start yyyy-MM-dd] [--days D] [--process-seed P]</c>: a simulated special-price
/// approval log. With <c>--process-seed</c> the orders depend on <c>--seed</c> alone and the approvals on P, so logs
/// that differ only in P (or in the routing) hold exactly the same orders.
/// </summary>
internal static class GenerateVerb
{
    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        line.Allow("orders", "seed", "out", "format", "truth", "routing", "start", "days", "id-prefix", "process-seed");
        var output = line.Required("out");
        var format = line.Option("format") ?? Path.GetExtension(output.EndsWith(".gz", StringComparison.Ordinal) ? output[..^3] : output).TrimStart('.').ToLowerInvariant();
        if (format is not ("csv" or "parquet" or "xes" or "jsonl"))
            throw new UsageException($"generate: unknown format '{format}' (csv, parquet, xes, jsonl; or name the file so)");
        var model = Model(line);
        var folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        var watch = Stopwatch.StartNew();
        var simulator = new ApprovalSimulator(model);
        SimulationSummary summary;
        using (var writer = SimulatedLogWriter.Create(format, output, line.Option("truth")))
        {
            // The simulation runs on a worker thread so that a writer may do its I/O asynchronously meanwhile.
            summary = await Task.Run(() => simulator.Run(writer, cancellationToken), cancellationToken);
            await writer.CompleteAsync();
        }
        var result = new
        {
            output = Path.GetFullPath(output),
            format,
            truth = line.Option("truth") is { } t ? Path.GetFullPath(t) : null,
            orders = summary.Orders,
            events = summary.Events,
            controlledShare = summary.Orders == 0 ? 0 : (double)summary.Controlled / summary.Orders,
            reviewNeededShare = summary.Orders == 0 ? 0 : (double)summary.ReviewNeeded / summary.Orders,
            routing = model.Routing.ToString(),
            seed = model.Seed,
            processSeed = model.ProcessSeed,
            pools = simulator.PoolSizes,
            seconds = Math.Round(watch.Elapsed.TotalSeconds, 2),
        };
        if (line.Json)
            JsonOutput.Write(result);
        else
            Console.WriteLine($"{result.output}: {result.orders:N0} orders, {result.events:N0} events in {result.seconds:F1} s " +
                              $"(controlled {result.controlledShare:P1}, needing PM review {result.reviewNeededShare:P1}, routing {result.routing})");
        return ExitCodes.Ok;
    }

    private static ApprovalProcessModel Model(CommandLine line)
    {
        var model = new ApprovalProcessModel
        {
            Orders = line.Int("orders", 2000),
            Seed = line.Int("seed", 1),
            Days = line.Int("days", 730),
            CaseIdPrefix = line.Option("id-prefix") ?? "SP-",
            ProcessSeed = line.Option("process-seed") is null ? null : line.Int("process-seed", 0),
        };
        if (model.Orders <= 0 || model.Days <= 0)
            throw new UsageException("generate: --orders and --days must be positive");
        if (line.Option("start") is { } start)
            model = model with
            {
                Start = DateOnly.TryParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d : throw new UsageException($"--start: '{start}' is not a date (yyyy-MM-dd)"),
            };
        if (line.Option("routing") is { } routing)
        {
            try
            {
                model = model with { Routing = RoutingPolicy.Parse(routing) };
            }
            catch (FormatException ex)
            {
                throw new UsageException("--routing: " + ex.Message);
            }
        }
        return model;
    }
}
