namespace Analytics.Worker.Hosting;

/// <summary>The background services' loop step: wait for the next tick, or learn that the worker is stopping.</summary>
internal static class Ticks
{
    /// <returns><c>false</c> when the worker is stopping.</returns>
    public static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
