using System.Text.Json;

namespace Analytics.Core.Mining;

/// <summary>An approval policy: rules every case must satisfy, read from a JSON file.</summary>
/// <param name="Rules">The rules, checked independently.</param>
public sealed record ApprovalPolicy(IReadOnlyList<PolicyRule> Rules)
{
    /// <summary>Reads a policy: <c>{"rules":[{"name","type",…}]}</c> with types <c>required</c>, <c>order</c>, <c>beforeAttribute</c>, <c>fourEyes</c>.</summary>
    /// <param name="json">The document.</param>
    /// <param name="source">Named in messages.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="FormatException">A rule is incomplete or of an unknown type.</exception>
    public static ApprovalPolicy Parse(Stream json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!doc.RootElement.TryGetProperty("rules", out var rules))
                throw new FormatException($"{source}: no \"rules\" array");
            var parsed = new List<PolicyRule>();
            var i = 0;
            foreach (var r in rules.EnumerateArray())
            {
                i++;
                string Text(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString()! : throw new FormatException($"{source}: rule {i} needs \"{name}\"");
                IReadOnlyList<string> Names(string name) => r.TryGetProperty(name, out var v)
                    ? v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetString()!).ToList() : [v.GetString()!]
                    : throw new FormatException($"{source}: rule {i} needs \"{name}\"");
                var type = Text("type");
                var name = r.TryGetProperty("name", out var n) ? n.GetString()! : $"rule {i}";
                var when = r.TryGetProperty("when", out var w) ? w.EnumerateArray().Select(c => AttributeCondition.Parse(c.GetString()!)).ToList() : [];
                parsed.Add(type switch
                {
                    "required" => new PolicyRule(name, type, Names("activities"), [], null, when),
                    "order" => new PolicyRule(name, type, Names("before"), Names("after"), null, when),
                    "beforeAttribute" => new PolicyRule(name, type, Names("activities"), [], Text("attribute"), when),
                    "fourEyes" => new PolicyRule(name, type, Names("activities"), [], null, when),
                    _ => throw new FormatException($"{source}: rule {i} has unknown type '{type}' (required, order, beforeAttribute, fourEyes)"),
                });
            }
            return new ApprovalPolicy(parsed);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// One rule of an <see cref="ApprovalPolicy"/>, applied to the cases that satisfy <see cref="When"/>:
/// <list type="bullet">
/// <item><c>required</c>: one of <see cref="Activities"/> occurs in the case (e.g. a PM decision for controlled products).</item>
/// <item><c>order</c>: no activity of <see cref="Others"/> occurs before the first of <see cref="Activities"/> (e.g. no order placed before approval).</item>
/// <item><c>beforeAttribute</c>: the first of <see cref="Activities"/> occurs before the case's timestamp attribute <see cref="Attribute"/> (e.g. filing before the contract date).</item>
/// <item><c>fourEyes</c>: no resource performs more than one of <see cref="Activities"/> in a case (e.g. filer ≠ approver).</item>
/// </list>
/// </summary>
/// <param name="Name">Shown in reports.</param>
/// <param name="Type">required, order, beforeAttribute or fourEyes.</param>
/// <param name="Activities">The rule's main activities.</param>
/// <param name="Others">For <c>order</c>: the activities that must not come first.</param>
/// <param name="Attribute">For <c>beforeAttribute</c>: the case attribute holding the deadline.</param>
/// <param name="When">Conditions on case attributes selecting the cases the rule applies to.</param>
public sealed record PolicyRule(string Name, string Type, IReadOnlyList<string> Activities, IReadOnlyList<string> Others, string? Attribute,
    IReadOnlyList<AttributeCondition> When);

/// <summary>How the cases fared against one rule.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="CasesChecked">Cases the rule applied to.</param>
/// <param name="Violations">Case ids that break it, sorted.</param>
public sealed record RuleResult(PolicyRule Rule, long CasesChecked, IReadOnlyList<string> Violations);
