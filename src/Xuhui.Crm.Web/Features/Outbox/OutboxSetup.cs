using Microsoft.Extensions.Options;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>The outbox: features queue mail through <see cref="OutboxWriter"/>, the worker sends it.</summary>
public static class OutboxSetup
{
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SmtpOptions>(configuration.GetSection(SmtpOptions.Section));
        services.AddScoped<OutboxWriter>();
        services.AddSingleton<SmtpMailTransport>();
        services.AddSingleton<EmlFileTransport>();
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<SmtpOptions>>().Value.UsesFiles
            ? sp.GetRequiredService<EmlFileTransport>()
            : sp.GetRequiredService<SmtpMailTransport>());
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<OutboxSignal>();

        // Registered after the scheduler, so it stops first: no new message is taken while jobs are being stopped.
        services.AddHostedService<OutboxWorker>();
        return services;
    }
}
