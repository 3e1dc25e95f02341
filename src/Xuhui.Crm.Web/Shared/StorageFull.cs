using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// The one place that knows what "the storage is full" looks like from each layer: SQLite's SQLITE_FULL (13, also as
/// an extended code), an I/O error of ENOSPC or Windows' disk-full codes, and PostgreSQL's 53100 disk_full — however
/// deep EF or a job wrapped it.
/// </summary>
public static class StorageFull
{
    private const int SqliteFull = 13;
    private const int Enospc = 28;
    private const int WindowsDiskFull = 0x70;
    private const int WindowsHandleDiskFull = 0x27;

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(Is))
            {
                return true;
            }

            if (IsItself(e))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsItself(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteFull || (s.SqliteExtendedErrorCode & 0xFF) == SqliteFull,
        PostgresException p => p.SqlState == PostgresErrorCodes.DiskFull,
        // On Unix the HResult is the raw errno; on Windows, 0x8007xxxx around the Win32 code.
        IOException io => (io.HResult & 0xFFFF) is Enospc or WindowsDiskFull or WindowsHandleDiskFull,
        _ => false,
    };
}

/// <summary>
/// What the process last saw of a full disk: readiness stays unhealthy while it lasts (until a real write succeeds
/// again), and the admins' digest mentions it once it can be written.
/// </summary>
public sealed class StorageState(TimeProvider clock, ILogger<StorageState> logger)
{
    private readonly Lock _lock = new();
    private DateTime? _fullSince;
    private DateTime? _lastSeen;
    private DateTime _lastLogged = DateTime.MinValue;
    private int _failures;
    private string? _lastError;

    /// <summary>Since when writes have been failing for want of space; null when the last probe wrote.</summary>
    public DateTime? FullSince
    {
        get
        {
            lock (_lock)
            {
                return _fullSince;
            }
        }
    }

    /// <summary>The last time a full disk was seen (kept after recovery, for the digest), the writes refused since it began, and the error.</summary>
    public (DateTime? LastSeen, int Failures, string? Error) Last
    {
        get
        {
            lock (_lock)
            {
                return (_lastSeen, _failures, _lastError);
            }
        }
    }

    /// <summary>Records <paramref name="exception"/> when it is a full disk; returns whether it was.</summary>
    public bool Observe(Exception exception, string where)
    {
        if (!StorageFull.Is(exception))
        {
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        bool first, log;
        lock (_lock)
        {
            first = _fullSince is null;
            if (first)
            {
                _fullSince = now;
                _failures = 0;
            }

            _failures++;
            _lastSeen = now;
            _lastError = Innermost(exception).Message;
            log = first || now - _lastLogged >= TimeSpan.FromMinutes(1);
            if (log)
            {
                _lastLogged = now;
            }
        }

        if (log)
        {
            // Error, not warning: nothing is written until someone frees space, and only an operator can.
            logger.LogError(exception, "Storage full ({Where}): writes are refused until space is freed; {Failures} refused so far", where, Last.Failures);
        }

        return true;
    }

    /// <summary>A real write went through: space is back.</summary>
    public void Recovered()
    {
        DateTime? since;
        lock (_lock)
        {
            since = _fullSince;
            _fullSince = null;
        }

        if (since is not null)
        {
            logger.LogWarning("Storage writable again (full since {Since:O})", since);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}

/// <summary>A write refused for want of space is the server's problem, not the request's: 503, said plainly, nothing saved.</summary>
public sealed class StorageFullExceptionHandler(IProblemDetailsService problems, StorageState state) : IExceptionHandler
{
    public static string Title => Text.T("服务器存储空间已满");

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!state.Observe(exception, $"{httpContext.Request.Method} {httpContext.GetEndpoint()?.DisplayName ?? "request"}"))
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "60";
        var details = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = Title,
            Detail = Text.T("服务器的磁盘或数据库存储空间已满，本次操作未保存。请联系系统管理员释放空间后重试"),
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
