using Analytics.Application;
using Analytics.Application.Ingestion;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Worker.Hosting;

/// <summary>
/// Does the follow-up that loads owe (node-change notices, routing, the SPC monitor) as soon as one is recorded: woken
/// by <c>POST /api/events</c> after each stored request, and every few seconds in any case, so that what a load
/// recorded in its transaction before a kill is done after the restart too.
/// </summary>
internal sealed class FollowUpRunner(IngestService ingest, TimeProvider time, ILogger<FollowUpRunner> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>A load recorded a follow-up: do it now rather than at the next look.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var first = true; // what is owed at start was left by an interrupted run
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using (SharedStore.Doing("following up loaded events (notices, routing, SPC monitor)"))
                {
                    foreach (var (fileId, monitor, routed) in await ingest.ResumeAsync(stoppingToken))
                        if (first)
                            logger.LogWarning("Resumed the follow-up of file {FileId} left by an interrupted run: {Signals} new SPC signals, {Routed} orders routed", fileId, monitor.NewSignals.Count, routed);
                        else
                            logger.LogInformation("Followed up file {FileId}: {Signals} new SPC signals, {Routed} orders routed", fileId, monitor.NewSignals.Count, routed);
                }
                first = false;
                failures = 0;
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                tick.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    await _wake.WaitAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // the periodic look
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The loop's boundary: log, back off, carry on; what is owed stays recorded.
                failures++;
                logger.LogError(ex, "Following up loaded events failed ({Failures} in a row); retrying", failures);
                await Ticks.DelayAsync(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures))), time, stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
