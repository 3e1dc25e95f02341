namespace Xuhui.Crm.Web.Features.Imports;

public static class ImportsModule
{
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddScoped<ImportService>();
        // Firms an interrupted import committed before their search grams were written get them on start.
        services.AddHostedService<Data.SearchGramRecovery>();
        return services;
    }
}
