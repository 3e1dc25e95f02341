using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// The last line of defence behind the endpoints' own conflict answers: a concurrency failure that escapes one is a 409
/// (somebody else changed the record; reload and retry), and a database too busy to take the write in time is a 503
/// with Retry-After. Neither is a server fault, so neither may surface as a 500.
/// </summary>
public sealed partial class ConcurrencyExceptionHandler(IProblemDetailsService problems, ILogger<ConcurrencyExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails details;
        if (exception is DbUpdateConcurrencyException)
        {
            LogConflict(log, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName);
            details = new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = Problems.ConflictTitle,
                Detail = Text.T("数据已被他人修改，请刷新后重试"),
            };
        }
        else if (IsBusy(exception))
        {
            LogBusy(log, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName);
            httpContext.Response.Headers.RetryAfter = "1";
            details = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = Text.T("服务器繁忙"),
                Detail = Text.T("数据库正忙，本次修改未保存，请稍后重试"),
            };
        }
        else
        {
            return false;
        }

        httpContext.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }

    /// <summary>SQLite busy or locked past the command timeout; PostgreSQL serialization failure, deadlock or lock timeout.</summary>
    internal static bool IsBusy(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: 5 or 6 }:
                case PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable }:
                    return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Concurrent update answered 409 by the fallback handler: {Method} {Endpoint}")]
    private static partial void LogConflict(ILogger logger, string method, string? endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database busy answered 503: {Method} {Endpoint}")]
    private static partial void LogBusy(ILogger logger, string method, string? endpoint);
}
