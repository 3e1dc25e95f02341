using Microsoft.AspNetCore.Authentication;
using OpenTelemetry.Metrics;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>The metrics endpoint: the instruments themselves are <see cref="CrmMetrics"/> in Shared.</summary>
public static class MetricsSetup
{
    /// <summary>Off by default; <c>Crm:Metrics:Enabled=true</c> exposes Prometheus text at /metrics (admins, or a scrape token).</summary>
    public static IServiceCollection AddCrmMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Crm:Metrics:Enabled", false))
        {
            services.AddOpenTelemetry().WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter(CrmMetrics.MeterName)
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
}
