using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Outbox;

public sealed record DispatchResult(int Sent, int Failed, int Deferred, int Interrupted);

/// <summary>
/// Sends what is due from the outbox over one connection per round. A message is marked "sending" (committed) before
/// it is handed to the server and "sent" as soon as the server's 250 comes back, so the only way to send one twice is
/// to die between those two statements; the next round finds it still "sending", counts it in
/// <see cref="OutboxMessage.InterruptedSends"/> and sends it again.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IMailTransport transport,
    IOptions<SmtpOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public string Transport => transport.Describe;

    public async Task<DispatchResult> DispatchDueAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await RunAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>When the earliest pending message becomes due, if any.</summary>
    public async Task<DateTime?> NextDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        return await db.Outbox.Where(m => m.Status == OutboxStatus.Pending)
            .OrderBy(m => m.NextAttemptAt).Select(m => (DateTime?)m.NextAttemptAt).FirstOrDefaultAsync(ct);
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private async Task<DispatchResult> RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var o = options.Value;

        // One connection for the round. synchronous=NORMAL in WAL mode keeps each "sending"/"sent" commit durable
        // across a process crash (the failure the outbox is built for) without an fsync per statement; a power cut
        // can lose the last commits, which at worst resends a message (and a lost "sending" mark is counted on recovery).
        // The connection goes back to the pool afterwards, so the service's own level is put back before it does:
        // every other save that later reuses it keeps the durability the rest of the service has.
        await db.Database.OpenConnectionAsync(ct);
        long? synchronous = null;
        if (db.Database.IsSqlite())
        {
            synchronous = await SqliteSynchronous.LowerAsync(db.Database.GetDbConnection(), ct);
        }

        try
        {
            return await RoundAsync(db, o, ct);
        }
        finally
        {
            if (synchronous is { } level)
            {
                await SqliteSynchronous.RestoreAsync(db.Database.GetDbConnection(), level);
            }
        }
    }

    private async Task<DispatchResult> RoundAsync(CrmDbContext db, SmtpOptions o, CancellationToken ct)
    {
        // Under the gate nothing in this process is sending, so on SQLite (one process) a "sending" row was left by a
        // process that died. On PostgreSQL another instance may be sending it right now: only a claim older than the
        // lease (longer than any one send can take) belongs to a dead instance.
        var recoverable = db.Outbox.Where(m => m.Status == OutboxStatus.Sending);
        if (!db.Database.IsSqlite())
        {
            var staleBefore = Now() - o.SendingLease;
            recoverable = recoverable.Where(m => m.LastAttemptAt == null || m.LastAttemptAt < staleBefore);
        }

        var interrupted = await recoverable
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Status, OutboxStatus.Pending)
                    .SetProperty(m => m.InterruptedSends, m => m.InterruptedSends + 1)
                    .SetProperty(m => m.NextAttemptAt, Now())
                    .SetProperty(m => m.LastError, Text.T("发送中进程中断，可能已送达，将重发")),
                ct);
        if (interrupted > 0)
        {
            logger.LogWarning("{Count} outbox message(s) were left 'sending' by a process that died; sending again (possible duplicates, recorded)", interrupted);
        }

        var now = Now();
        var due = await db.Outbox.Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Select(m => m.Id).Take(o.BatchSize).ToListAsync(ct);
        if (due.Count == 0)
        {
            return new DispatchResult(0, 0, 0, interrupted);
        }

        int sent = 0, failed = 0, deferred = 0, transientInARow = 0;
        IMailSession? session = null;
        try
        {
            for (var i = 0; i < due.Count; i++)
            {
                var id = due[i];
                if (session is null)
                {
                    try
                    {
                        session = await transport.OpenAsync(ct);
                    }
                    catch (MailConnectionException e)
                    {
                        // Nothing was said about any message: each remaining one waits out its own backoff.
                        deferred += await DeferAsync(db, due.Skip(i).ToList(), e.Message, o, ct);
                        logger.LogWarning(e, "Outbox: cannot reach {Transport}; {Count} message(s) deferred", transport.Describe, due.Count - i);
                        break;
                    }
                }

                // The claim is conditional: when instances race for a message, the database lets exactly one UPDATE
                // match (PostgreSQL re-checks the WHERE after waiting on the row lock); the others see 0 and move on.
                var claimed = await db.Outbox.Where(m => m.Id == id && m.Status == OutboxStatus.Pending)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(m => m.Status, OutboxStatus.Sending)
                            .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                            .SetProperty(m => m.LastAttemptAt, Now()),
                        ct);
                if (claimed == 0)
                {
                    continue;
                }

                var row = await db.Outbox.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.Mime, m.Attempts, m.CreatedAt }).FirstAsync(ct);
                MimeMessage message;
                using (var stream = new MemoryStream(row.Mime))
                {
                    message = await MimeMessage.LoadAsync(stream, ct);
                }

                try
                {
                    await session.SendAsync(message, id, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Stopping mid-send: whether the server took it is unknown. The message is released now (back to
                    // pending, the possible duplicate on record) rather than left "sending" for a lease to expire.
                    await db.Outbox.Where(m => m.Id == id && m.Status == OutboxStatus.Sending).ExecuteUpdateAsync(
                        s => s.SetProperty(m => m.Status, OutboxStatus.Pending)
                            .SetProperty(m => m.InterruptedSends, m => m.InterruptedSends + 1)
                            .SetProperty(m => m.NextAttemptAt, Now())
                            .SetProperty(m => m.LastError, Text.T("服务停止时正在发送，可能已送达，将重发")),
                        CancellationToken.None);
                    throw;
                }
                catch (Exception e)
                {
                    var (permanent, error) = Classify(e);
                    await session.DisposeAsync();
                    session = null; // every retry, and the next message, starts on a fresh connection
                    if (permanent)
                    {
                        failed++;
                        transientInARow = 0;
                        await FailAsync(db, id, error, ct);
                        logger.LogWarning("Outbox message {Id} refused permanently: {Error}", id, error);
                        continue;
                    }

                    if (o.GivesUp(row.Attempts, row.CreatedAt, Now()))
                    {
                        failed++;
                        await FailAsync(db, id, Text.F("{0}后放弃：{1}", o.DescribeBudget(row.Attempts), error), ct);
                    }
                    else
                    {
                        deferred++;
                        await DeferAsync(db, [id], error, o, ct, claimedAlready: true);
                    }

                    logger.LogWarning("Outbox message {Id} attempt {Attempt} failed transiently: {Error}", id, row.Attempts, error);
                    if (++transientInARow >= o.MaxConsecutiveTransientFailures)
                    {
                        deferred += await PostponeAsync(db, due.Skip(i + 1).ToList(), error, o, ct);
                        break;
                    }

                    continue;
                }

                // The server said 250: record it before anything else can happen.
                await db.Outbox.Where(m => m.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.SentAt, Now()), CancellationToken.None);
                sent++;
                transientInARow = 0;
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }

        if (sent + failed + deferred > 0)
        {
            logger.LogInformation("Outbox via {Transport}: {Sent} sent, {Failed} failed, {Deferred} deferred", transport.Describe, sent, failed, deferred);
        }

        Shared.CrmMetrics.RemindersSent.Add(sent);
        return new DispatchResult(sent, failed, deferred, interrupted);
    }

    /// <summary>5xx is the server's final word on the message; everything else (4xx, I/O, protocol, timeout) may pass.</summary>
    internal static (bool Permanent, string Error) Classify(Exception e) => e switch
    {
        SmtpCommandException c when (int)c.StatusCode >= 500 => (true, $"{(int)c.StatusCode} {c.Message}"),
        SmtpCommandException c => (false, $"{(int)c.StatusCode} {c.Message}"),
        SmtpProtocolException => (false, Text.F("SMTP 协议错误：{0}", e.Message)),
        ServiceNotConnectedException => (false, Text.F("连接已断开：{0}", e.Message)),
        _ => (false, $"{e.GetType().Name}: {e.Message}"),
    };

    private Task FailAsync(CrmDbContext db, long id, string error, CancellationToken ct) =>
        db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.Status, OutboxStatus.Failed).SetProperty(m => m.LastError, Truncate(error)),
            ct);

    private async Task<int> DeferAsync(CrmDbContext db, List<long> ids, string error, SmtpOptions o, CancellationToken ct, bool claimedAlready = false)
    {
        var now = Now();
        var count = 0;
        foreach (var id in ids)
        {
            // A connection failure counts as an attempt for each waiting message, so the backoff grows for all of them.
            var row = await db.Outbox.Where(m => m.Id == id).Select(m => new { m.Attempts, m.CreatedAt }).FirstAsync(ct);
            var attempts = row.Attempts + (claimedAlready ? 0 : 1);
            var status = o.GivesUp(attempts, row.CreatedAt, now) ? OutboxStatus.Failed : OutboxStatus.Pending;
            count += await db.Outbox.Where(m => m.Id == id && m.Status != OutboxStatus.Sent).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Status, status)
                    .SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LastAttemptAt, now)
                    .SetProperty(m => m.NextAttemptAt, now + o.Backoff(attempts))
                    .SetProperty(m => m.LastError, Truncate(error)),
                ct);
        }

        return count;
    }

    /// <summary>The rest of a round the server keeps refusing waits one backoff step, without counting an attempt it never had.</summary>
    private async Task<int> PostponeAsync(CrmDbContext db, List<long> ids, string error, SmtpOptions o, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        var next = Now() + o.Backoff(1);
        return await db.Outbox.Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Pending).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.LastError, Truncate(Text.F("服务器连续临时拒绝，本轮推迟：{0}", error))),
            ct);
    }

    private static string Truncate(string s) => s.Length <= 2000 ? s : s[..2000];
}
