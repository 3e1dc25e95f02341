using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xuhui.Crm.Web.Infrastructure;

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
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<BackupHealthCheck>("backup", failureStatus: HealthStatus.Unhealthy, tags: ["ready"])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"])
            .AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"]);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "application/problem+json";
                await context.HttpContext.Response.WriteAsync(
                    """{"status":429,"title":"登录尝试过于频繁，请稍后再试 (too many login attempts)"}""", ct);
            };
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

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        // The API docs UI needs inline scripts and styles; every other page is served under a strict policy.
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs")
            ? "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:"
            : "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
        return next();
    }

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
                    context.Request.Method,
                    endpoint?.RoutePattern.RawText ?? context.Request.Path.Value,
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
}
