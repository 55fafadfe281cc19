namespace Analytics.Core.Profiles;

/// <summary>How a role of the process behaves, for queueing and for who is told what.</summary>
public enum RoleKind
{
    /// <summary>Named approvers who take orders from a queue: waiting before their node is queueing.</summary>
    Pool,

    /// <summary>Time that passes outside the approvers' control (the requester, a customer): modelled as a delay.</summary>
    Delay,

    /// <summary>A system or batch account: its events mark instants, nobody queues for it.</summary>
    System,
}
