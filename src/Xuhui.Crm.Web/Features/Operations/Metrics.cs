using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>The application's own instruments; request durations come from the ASP.NET Core instrumentation.</summary>
public static class CrmMetrics
{
    public const string MeterName = "Xuhui.Crm";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("crm.job.duration", "s", "Duration of scheduled job runs");
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
                if (!scrapeOk && !context.User.IsAdmin())
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
