using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication;
using OpenTelemetry.Metrics;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>The application's own instruments; request durations come from the ASP.NET Core instrumentation.</summary>
public static class CrmMetrics
{
    public const string MeterName = "Xuhui.Crm";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("crm.job.duration", "s", "Duration of scheduled job runs");
    private static long _outboxPending;
    private static long _outboxFailed;

    /// <summary>Outbox depth as last counted (by readiness checks and dispatch rounds).</summary>
    public static void SetOutbox(long pending, long failed)
    {
        Interlocked.Exchange(ref _outboxPending, pending);
        Interlocked.Exchange(ref _outboxFailed, failed);
    }

    public static readonly ObservableGauge<long> OutboxPending = Meter.CreateObservableGauge("crm.outbox.pending", () => Interlocked.Read(ref _outboxPending), description: "Messages waiting to be sent");
    public static readonly ObservableGauge<long> OutboxFailed = Meter.CreateObservableGauge("crm.outbox.failed", () => Interlocked.Read(ref _outboxFailed), description: "Messages that failed for good");

    public static readonly Counter<long> RemindersSent = Meter.CreateCounter<long>("crm.reminders.sent", description: "Reminder and report emails handed to the mail server");

    /// <summary>Off by default; <c>Crm:Metrics:Enabled=true</c> exposes Prometheus text at /metrics (admins, or a scrape token).</summary>
    public static IServiceCollection AddCrmMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Crm:Metrics:Enabled", false))
        {
            services.AddOpenTelemetry().WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter(MeterName)
                .AddPrometheusExporter());
        }

        return services;
    }

    public static WebApplication MapCrmMetrics(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Crm:Metrics:Enabled", false))
        {
            return app;
        }

        var token = app.Configuration["Crm:Metrics:ScrapeToken"];
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments("/metrics"),
            branch => branch.Use(async (context, next) =>
            {
                var bearer = context.Request.Headers.Authorization.ToString();
                var scrapeOk = !string.IsNullOrEmpty(token) && bearer == $"Bearer {token}";
                // /metrics is outside /api, where the default scheme is the page cookie: ask the bearer scheme too.
                var bearerUser = scrapeOk ? null : (await context.AuthenticateAsync(Features.Auth.BearerTokenHandler.SchemeName)).Principal;
                if (!scrapeOk && !context.User.IsAdmin() && bearerUser?.IsAdmin() != true)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                await next();
            }));
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }

    public static Meter Instance => Meter;
}
