using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>Wakes the outbox worker early, e.g. right after a digest was composed or a message was retried.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Dispose() => _signal.Dispose();

    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits for a signal or for <paramref name="wait"/> on <paramref name="clock"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan wait, TimeProvider clock, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var signalled = _signal.WaitAsync(cts.Token);
        var delay = Task.Delay(wait, clock, cts.Token);
        await Task.WhenAny(signalled, delay);
        await cts.CancelAsync();
        try
        {
            await signalled;
        }
        catch (OperationCanceledException)
        {
            // The delay won.
        }

        ct.ThrowIfCancellationRequested();
    }
}

/// <summary>Sends due outbox messages: on start (which picks up anything a crash left), when signalled, and when a retry falls due.</summary>
public sealed class OutboxWorker(
    OutboxDispatcher dispatcher, OutboxSignal signal, TimeProvider clock, IOptions<SmtpOptions> options, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Text.UseDefaultLanguage();
        if (!options.Value.BackgroundDispatch)
        {
            return;
        }

        var poll = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
                var next = await dispatcher.NextDueAsync(stoppingToken);
                if (next is { } due)
                {
                    var until = due - clock.GetUtcNow().UtcDateTime;
                    wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < poll ? until : poll;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Outbox dispatch round failed; trying again in {Wait}", poll);
            }

            try
            {
                await signal.WaitAsync(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
