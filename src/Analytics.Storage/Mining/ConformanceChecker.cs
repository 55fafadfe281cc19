using Analytics.Core.Mining;

namespace Analytics.Storage.Mining;

/// <summary>Checks an <see cref="ApprovalPolicy"/> against the store, one SQL query per rule.</summary>
public sealed class ConformanceChecker
{
    private readonly EventStore _store;

    /// <summary>Creates a checker over a store.</summary>
    public ConformanceChecker(EventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Checks every rule on the cases in scope.</summary>
    /// <param name="policy">The rules.</param>
    /// <param name="filter">Part of the log.</param>
    /// <returns>One result per rule, in the policy's order.</returns>
    public IReadOnlyList<RuleResult> Check(ApprovalPolicy policy, MiningFilter filter)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(filter);
        return policy.Rules.Select(rule => Check(rule, filter)).ToList();
    }

    private RuleResult Check(PolicyRule rule, MiningFilter filter)
    {
        var scope = ProcessMiner.Scope(filter with { CaseAttributes = [.. filter.CaseAttributes, .. rule.When], Activities = null });
        var main = Sql.List(rule.Activities);
        var violating = rule.Type switch
        {
            "required" => $"SELECT case_id FROM s GROUP BY case_id HAVING NOT bool_or(activity IN ({main}))",
            "order" => $"""
                SELECT case_id FROM s GROUP BY case_id
                HAVING min(ts) FILTER (WHERE activity IN ({Sql.List(rule.Others)})) < coalesce(min(ts) FILTER (WHERE activity IN ({main})), 'infinity'::TIMESTAMPTZ)
                """,
            "beforeAttribute" => $"""
                SELECT s.case_id FROM s JOIN case_attributes a ON a.case_id = s.case_id AND a.key = {Sql.Literal(rule.Attribute!)} AND a.value_type = 'timestamp'
                WHERE s.activity IN ({main}) GROUP BY s.case_id HAVING min(s.ts) >= any_value(a.time_value)
                """,
            "fourEyes" => $"""
                SELECT DISTINCT case_id FROM (
                    SELECT case_id, resource FROM s WHERE activity IN ({main}) AND resource IS NOT NULL
                    GROUP BY case_id, resource HAVING count(DISTINCT activity) > 1)
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Type, "unknown rule type"),
        };
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = $"WITH s AS ({scope}) SELECT (SELECT count(DISTINCT case_id) FROM s), list(case_id ORDER BY case_id) FROM ({violating})";
        using var r = cmd.ExecuteReader();
        r.Read();
        var cases = r.IsDBNull(1) ? [] : ((IEnumerable<object>)r.GetValue(1)).Select(o => (string)o).ToList();
        return new RuleResult(rule, r.GetInt64(0), cases);
    }
}
