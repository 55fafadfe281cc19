namespace Analytics.Worker.Hosting;

/// <summary>The background services' loop steps: wait for the next tick, or learn that the worker is stopping.</summary>
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

    /// <summary>Waits, returning early (without an exception) when the worker stops.</summary>
    public static async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
