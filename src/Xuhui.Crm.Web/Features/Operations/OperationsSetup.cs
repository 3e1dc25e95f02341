using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Operations;

public sealed class ProxyOptions
{
    /// <summary>Honour X-Forwarded-For/-Proto from these proxy addresses (e.g. the nginx in front).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Redirect HTTP to HTTPS and send HSTS: for deployments behind a TLS-terminating proxy.</summary>
    public bool RequireHttps { get; set; }
}

public static class OperationsSetup
{
    public const string LoginRateLimit = "login";

    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BackupOptions>(configuration.GetSection("Crm:Backup"));
        services.Configure<ProxyOptions>(configuration.GetSection("Crm:Proxy"));
        services.AddScoped<BackupService>();
        services.AddCrmJob<NightlyBackupJob>(JobNames.NightlyBackup, "每日数据库备份", JobSchedule.Daily(sp =>
        {
            var o = sp.GetRequiredService<IOptions<BackupOptions>>().Value;
            var time = TimeOnly.ParseExact(o.Time, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            return (JobSchedule.DailyCron(time), $"每天 {o.Time}（Asia/Shanghai）备份数据库");
        }));
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<BackupHealthCheck>("backup", failureStatus: HealthStatus.Unhealthy, tags: ["ready"])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"])
            .AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"]);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) => LoginLimited.WriteAsync(context.HttpContext, ct);
            o.AddPolicy(LoginRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = configuration.GetValue("Crm:Auth:LoginRequestsPerMinute", 20),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        return services;
    }

    /// <summary>Forwarded headers, HTTPS, security headers and one structured log line per request; call first.</summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        var proxy = app.Configuration.GetSection("Crm:Proxy").Get<ProxyOptions>() ?? new ProxyOptions();
        if (proxy.KnownProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            foreach (var address in proxy.KnownProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(address));
            }

            app.UseForwardedHeaders(forwarded);
        }

        if (proxy.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.Use(SecurityHeaders);
        // One logger for the app's life: ILoggerFactory.CreateLogger takes a lock, which every request contended for.
        var requests = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Xuhui.Crm.Requests");
        app.Use((context, next) => LogRequest(requests, context, next));
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthWriter.WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthWriter.WriteAsync }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Security and cache headers are written when the response starts, not when the request comes in: the exception
    /// handler clears the headers of a failed request before it writes its 500, and an OnStarting callback survives that.
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // The API docs UI needs inline scripts and styles; every other page is served under a strict policy.
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/docs")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:"
                : "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
            if (!IsStaticAsset(http))
            {
                // API answers, exports and pages carry personal data: no browser or proxy may keep a copy.
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        }, context);
        return next();
    }

    /// <summary>
    /// A file from wwwroot: the static-file middleware serves only requests no endpoint matched, and never under /api.
    /// Everything else (API, pages, exports, errors) is treated as possibly personal.
    /// </summary>
    private static bool IsStaticAsset(HttpContext context) =>
        context.GetEndpoint() is null
        && !context.Request.Path.StartsWithSegments("/api")
        && context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent or StatusCodes.Status304NotModified
        && context.Response.Headers.LastModified.Count > 0;

    /// <summary>One line per request: method, route template (never the query), status, duration, user id — no personal data.</summary>
    private static async Task LogRequest(ILogger logger, HttpContext context, Func<Task> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var endpoint = context.GetEndpoint() as RouteEndpoint;
                RequestLog.Completed(
                    logger,
                    RequestLog.Escape(context.Request.Method),
                    endpoint?.RoutePattern.RawText ?? RequestLog.Escape(context.Request.Path.Value),
                    context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    context.User.Identity?.IsAuthenticated == true ? context.User.UserId() : null);
            }
        }
    }
}

/// <summary>The request line as a source-generated log message: no boxing or template parsing per request.</summary>
internal static partial class RequestLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Route} {Status} {ElapsedMs:F1} ms user={UserId}")]
    public static partial void Completed(ILogger logger, string method, string? route, int status, double elapsedMs, long? userId);

    private const int MaxPathLength = 200;

    /// <summary>
    /// The raw path of an unmatched request, as it may go into a log line: control characters and line or paragraph
    /// separators become %XX escapes (a decoded CR/LF would otherwise start a forged line), and it is cut to a bounded length.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var clean = true;
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                clean = false;
                break;
            }
        }

        if (clean && text.Length <= MaxPathLength)
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(Math.Min(text.Length, MaxPathLength) + 16);
        foreach (var c in text)
        {
            if (sb.Length >= MaxPathLength)
            {
                sb.Append("...");
                break;
            }

            if (NeedsEscape(c))
            {
                foreach (var b in System.Text.Encoding.UTF8.GetBytes(c.ToString()))
                {
                    sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c)
        || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.LineSeparator
            or System.Globalization.UnicodeCategory.ParagraphSeparator
            or System.Globalization.UnicodeCategory.Format;
}
