namespace Analytics.Core.Simulation;

/// <summary>One event of the simulated log.</summary>
/// <param name="Order">The order (its attributes are the case's).</param>
/// <param name="Activity">e.g. "Price desk approved".</param>
/// <param name="Utc">When it happened, as recorded (clock skew included).</param>
/// <param name="Resource">Who did it; <c>null</c> where the approver is missing (an injected defect).</param>
/// <param name="Role">SALES_REP, REGIONAL_MANAGER, PRICE_DESK, PRODUCT_MANAGER, FINANCE or CRM.</param>
/// <param name="Note">An event attribute (e.g. products_match on order placement); may be null.</param>
public sealed record SimulatedEvent(Order Order, string Activity, DateTime Utc, string? Resource, string Role, string? Note = null);

/// <summary>Receives the simulation's output as it happens.</summary>
public interface ISimulationSink
{
    /// <summary>An event; events arrive in simulation-time order, except where out-of-order delivery is injected.</summary>
    void Record(SimulatedEvent e);

    /// <summary>An order reached its end (placed, withdrawn or rejected); no more events for it follow.</summary>
    void CaseCompleted(Order order);
}
