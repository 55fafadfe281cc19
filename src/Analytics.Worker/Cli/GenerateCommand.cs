using System.CommandLine;
using System.Globalization;
using Analytics.Application.Simulation;
using Analytics.Core.Simulation;

namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics generate</c>: a simulated special-price approval log. With <c>--process-seed</c> the orders depend on
/// <c>--seed</c> alone and the approvals on P, so logs that differ only in P (or in the routing) hold the same orders.
/// </summary>
internal static class GenerateCommand
{
    public const string Name = "generate";

    public const string Description = "Write a simulated special-price approval log (csv, parquet, xes, jsonl) and its truth.";

    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "The log file to write; its extension names the format unless --format does.", Required = true, HelpName = "FILE" };
        var orders = Options.Int("--orders", "How many orders.", 2000, 1, 100_000_000);
        var seed = Options.Int("--seed", "Seed of the orders (and of the approvals without --process-seed); the same seed gives the same file.", 1, int.MinValue, int.MaxValue);
        var processSeed = Options.OptionalInt("--process-seed", "Seed of the approvals alone, so that the same orders can be run again with other draws.", int.MinValue, int.MaxValue, "P");
        var format = Options.Text("--format", "csv, parquet, xes or jsonl (default: from the file name).", "FORMAT");
        var truth = Options.Text("--truth", "Also write the truth (which orders a PM would change or reject, the injected defects) to this CSV.", "FILE");
        var routing = Options.Text("--routing", "as-is (every controlled product to a PM), share:0.15 (a random share) or score:T (a model score above T) (default: as-is).", "POLICY");
        var start = Options.Text("--start", "First day, yyyy-MM-dd (default: 2024-01-01).", "DATE");
        var days = Options.Int("--days", "Days of arrivals.", 730, 1, 36_500);
        var prefix = Options.Text("--id-prefix", "Prefix of case ids (default: SP-).", "TEXT");
        var structure = Options.Text("--structure", "standard (one pool per role), segmented (regional manager pools per region, PM pools per product line, an order desk system account, approvers' own hours) or multitasking (up to 2 orders open at once for regional managers and the price desk, 3 for PMs) (default: standard).", "NAME");
        var multitask = Options.Text("--multitask", "Orders an approver keeps open at once: K for every role, or ROLE=K,… (default: 1).", "SPEC");
        var poolsBy = Options.Text("--pools-by", "A pool per value of an order attribute: ROLE=region or ROLE=product_line, comma-separated.", "SPEC");
        var orderDesk = new Option<bool>("--order-desk") { Description = "An order desk system account books approved orders in hourly batches before they are placed." };
        var approverHours = Options.Text("--approver-hours", "calendar (everyone works the calendar) or varied (a quarter start an hour early, a quarter an hour late, a quarter work Monday to Thursday) (default: calendar).", "HOURS");
        var command = new Command(Name, Description)
        {
            output, orders, seed, processSeed, format, truth, routing, start, days, prefix, structure, multitask, poolsBy, orderDesk, approverHours,
        };
        command.SetAction(async (parse, ct) =>
        {
            var model = new ApprovalProcessModel
            {
                Orders = parse.GetValue(orders),
                Seed = parse.GetValue(seed),
                Days = parse.GetValue(days),
                CaseIdPrefix = parse.GetValue(prefix) ?? "SP-",
                ProcessSeed = parse.GetValue(processSeed),
            };
            if (parse.GetValue(start) is { } first)
            {
                if (!DateOnly.TryParseExact(first, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                    return Usage(context, $"--start: '{first}' is not a date (yyyy-MM-dd)");
                model = model with { Start = d };
            }
            if (parse.GetValue(routing) is { } policy)
            {
                try
                {
                    model = model with { Routing = RoutingPolicy.Parse(policy) };
                }
                catch (FormatException ex)
                {
                    return Usage(context, "--routing: " + ex.Message);
                }
            }
            try
            {
                if (parse.GetValue(structure) is { } name)
                    model = DemoStructures.Apply(model, name);
                if (parse.GetValue(multitask) is { } k)
                    model = DemoStructures.WithMultitasking(model, k);
                if (parse.GetValue(poolsBy) is { } by)
                    model = DemoStructures.WithPoolsBy(model, by);
            }
            catch (FormatException ex)
            {
                return Usage(context, ex.Message);
            }
            if (parse.GetValue(orderDesk))
                model = model with { OrderDesk = true };
            switch (parse.GetValue(approverHours))
            {
                case null or "calendar": break;
                case "varied": model = model with { ApproverHours = ApproverHours.Varied }; break;
                case var other: return Usage(context, $"--approver-hours: '{other}' is neither calendar nor varied");
            }
            var result = await GenerateService.RunAsync(model, parse.GetValue(output)!, parse.GetValue(format), parse.GetValue(truth), ct);
            return context.Report(parse, result, g => context.Out.WriteLine(
                    $"{g.Output}: {g.Summary.Orders:N0} orders, {g.Summary.Events:N0} events in {g.Elapsed.TotalSeconds:F1} s " +
                    $"(controlled {Share(g.Summary.Controlled, g.Summary.Orders):P1}, needing PM review {Share(g.Summary.ReviewNeeded, g.Summary.Orders):P1}, routing {model.Routing})"),
                g => new
                {
                    output = g.Output, format = g.Format, truth = g.Truth, orders = g.Summary.Orders, events = g.Summary.Events,
                    controlledShare = Share(g.Summary.Controlled, g.Summary.Orders), reviewNeededShare = Share(g.Summary.ReviewNeeded, g.Summary.Orders),
                    routing = model.Routing.ToString(), seed = model.Seed, processSeed = model.ProcessSeed, pools = g.Pools, seconds = Math.Round(g.Elapsed.TotalSeconds, 2),
                });
        });
        return command;
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static int Usage(CliContext context, string message)
    {
        context.Error.WriteLine($"analytics: {message}");
        return ExitCodes.Usage;
    }
}
