using Analytics.Storage;
using Analytics.Worker.Cli;
using Analytics.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace Analytics.Worker;

internal static class Program
{
    private const string Usage = """
        analytics — approval-latency analytics over an embedded DuckDB event store

        usage: analytics [VERB] [options]      (no verb: serve)
          serve  [--inbox DIR]                   run the background worker (watches the inbox, owns the database)
          ingest FILE... [--mapping FILE]        load XES, CSV, Parquet or JSON Lines files
          stats                                  cases, events and activities in the store
          demo                                   the main job on the committed sample: load, mine, SPC, train, route
          mine dfg|variants|cases|nodes|rework|conformance
               [--calendar NAME|FILE] [--from T] [--to T] [--where KEY=VALUE]... [--activities A,B]
               dfg: [--format dot]; nodes: [--by node|role|resource]; rework: [--reject-pattern LIKE];
               conformance: --policy FILE
          generate --orders N --seed S --out FILE [--format csv|parquet|xes|jsonl] [--truth FILE] [--process-seed P]
                   [--routing as-is|share:0.15|score:T] [--start yyyy-MM-dd] [--days D]   simulated approval log
          train --config FILE                    train the review-need model and its routing policy (data-samples/routing/)
          route --order FILE                     routing suggestion for one order, from the active model
          models [activate N | health [--days D]]  model versions; activate (or roll back to) one; drift and audited miss rate
          report --week 2025-W10 --out DIR [--lang en|zh-CN] [--sla HOURS]   weekly latency report (html, md, json)
          monitor                                run the SPC monitor's charts once; new signals go to spc_signals
          whatif calibrate|run [--scenario FILE] [--train FROM..TO] [--test FROM..TO] [--calendar NAME|FILE]
               [--replications N] [--seed S] [--exclude A,B] [--pool ROLE=N]... [--pooled R,..] [--delay R,..] [--route-by ATTR] [--priority KEY>VALUE]...
               [--sla HOURS] [--horizon-days D] [--horizon-from T] [--where KEY=VALUE]...
               calibrate and back-test a simulation of the process; run a scenario against the baseline
          spc --chart imr|xbar-r|xbar-s|p|np|c|u|laney-p|ewma|cusum|g|t
               --csv FILE --value COL [--subgroup COL] [--size COL]   (any CSV)
               | --metric node-latency|cycle-time|review-ratio [--node NAME] [--subgroup day|week]
               [--phase1 N] [--baseline FROM..TO] [--transform none|log|boxcox] [--lsl X] [--usl Y] [--target T]
               [--lambda L] [--h H --k K] [--run-length N] [--tests 1,2,…] [--exclude-signalled]

        every verb: --db PATH (default from appsettings.json or Analytics__Database), --json (one JSON document on stdout)
        """;

    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            var line = CommandLine.Parse(args);
            if (line.Has("help") || line.Verb is "help" or "-h")
            {
                Console.WriteLine(Usage);
                return ExitCodes.Ok;
            }
            var configuration = new ConfigurationBuilder()
                .SetBasePath(AppContext.BaseDirectory)
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .Build();
            var settings = AnalyticsSettings.From(configuration);
            var context = new VerbContext(settings, line.Option("db") ?? settings.Database, TimeProvider.System);
            return line.Verb switch
            {
                "serve" => await ServeVerb.RunAsync(line, context, configuration, cancel.Token),
                "ingest" => await IngestVerb.RunAsync(line, context, cancel.Token),
                "stats" => StatsVerb.Run(line, context),
                "demo" => await DemoVerb.RunAsync(line, context, cancel.Token),
                "mine" => MineVerb.Run(line, context),
                "spc" => SpcVerb.Run(line, context),
                "monitor" => MonitorVerb.Run(line, context, cancel.Token),
                "generate" => await GenerateVerb.RunAsync(line, cancel.Token),
                "train" => TrainVerb.Run(line, context),
                "whatif" => WhatIfVerb.Run(line, context, cancel.Token),
                "route" => RouteVerb.Run(line, context),
                "models" => ModelsVerb.Run(line, context),
                "report" => ReportVerb.Run(line, context),
                _ => throw new UsageException($"unknown verb '{line.Verb}'\n\n{Usage}"),
            };
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"analytics: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (StoreUnavailableException ex)
        {
            Console.Error.WriteLine($"analytics: {ex.Message}");
            return ExitCodes.StoreUnavailable;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("analytics: cancelled; nothing of the file in progress was stored");
            return ExitCodes.Failed;
        }
    }
}
