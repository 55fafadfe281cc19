using Analytics.Core.Mining;
using Analytics.Storage;
using Analytics.Storage.Mining;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics mine conformance --policy FILE</c>: checks the approval policy's rules, per rule the violating cases.</summary>
internal static class ConformanceVerb
{
    public static int Run(CommandLine line, ProcessMiner miner, EventStore store, MiningFilter filter)
    {
        var path = line.Required("policy");
        ApprovalPolicy policy;
        try
        {
            using var stream = File.OpenRead(path);
            policy = ApprovalPolicy.Parse(stream, path);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            throw new UsageException(ex.Message);
        }
        var results = new ConformanceChecker(store).Check(policy, filter);
        if (line.Json)
            JsonOutput.Write(new { policy = path, rules = results.Select(r => new { name = r.Rule.Name, type = r.Rule.Type, cases = r.CasesChecked, violations = r.Violations.Count, violatingCases = r.Violations }) });
        else
            foreach (var r in results)
                Console.WriteLine($"{r.Rule.Name} ({r.Rule.Type}): {r.Violations.Count:N0} of {r.CasesChecked:N0} cases violate" +
                                  (r.Violations.Count > 0 ? $", e.g. {string.Join(", ", r.Violations.Take(5))}" : ""));
        return ExitCodes.Ok;
    }
}
