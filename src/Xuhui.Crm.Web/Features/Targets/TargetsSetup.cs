namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>Registration of the targets feature: one call from CrmHost.</summary>
public static class TargetsSetup
{
    public static IServiceCollection AddTargets(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<TargetsOptions>(configuration.GetSection(TargetsOptions.Section));
        services.AddScoped<TargetsService>();
        return services;
    }
}
