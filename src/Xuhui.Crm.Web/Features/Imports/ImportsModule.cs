namespace Xuhui.Crm.Web.Features.Imports;

public static class ImportsModule
{
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddScoped<ImportService>();
        services.AddSingleton<Jobs.IOrphanedRunCloser, ImportRunCloser>();
        services.AddSingleton<ImportDiagnostics>();
        return services;
    }
}
