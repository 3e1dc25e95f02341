using Xuhui.Crm.Web.Features.Search;
namespace Xuhui.Crm.Web.Features.Imports;

public static class ImportsModule
{
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddScoped<ImportService>();
        // Imports answer once their firms commit; the search grams follow in the background (and on start, after a crash).
        services.AddSingleton<Features.Search.SearchBacklogState>();
        services.AddSingleton<Features.Search.SearchGramDrainer>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Search.SearchGramDrainer>());
        return services;
    }
}
