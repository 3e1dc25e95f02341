namespace Xuhui.Crm.Web.Features.Search;

public static class SearchModule
{
    /// <summary>The firm search, its count cache and the background writer of the search grams.</summary>
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddScoped<FirmSearch>();
        services.AddSingleton<GramCountCache>();
        services.AddSingleton<Data.Pipeline.ISaveStep, GramCountInvalidation>();
        // Imports answer once their firms commit; the search grams follow in the background (and on start, after a crash).
        services.AddSingleton<SearchBacklogState>();
        services.AddSingleton<SearchDrainDiagnostics>();
        services.AddSingleton<SearchGramDrainer>();
        services.AddHostedService(sp => sp.GetRequiredService<SearchGramDrainer>());
        return services;
    }
}
