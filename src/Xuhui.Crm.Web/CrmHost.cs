using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Scalar.AspNetCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Features.Cases;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Imports;
using Xuhui.Crm.Web.Features.Exports;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Requests;
using Xuhui.Crm.Web.Features.Targets;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Features.Visits;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;
using Xuhui.Crm.Web.Seeding;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web;

public static class CrmHost
{
    public const int PasswordIterations = 210_000;

    public static WebApplicationBuilder AddCrm(this WebApplicationBuilder builder)
    {
        AddSettingsBesideBinaries(builder);
        var services = builder.Services;
        services.Configure<CrmOptions>(builder.Configuration.GetSection(CrmOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DataPaths>();
        services.AddSingleton(sp => ReferenceData.Load(sp.GetRequiredService<DataPaths>().SeedDirectory));
        services.AddSingleton<IFilterCodes>(sp => sp.GetRequiredService<ReferenceData>());
        services.AddCrmDatabase(builder.Configuration);
        services.AddScoped<DemoData>();
        // OWASP's PBKDF2-HMAC-SHA512 minimum. The hash records its own iteration count, so older hashes still verify
        // and PasswordCheck rehashes them at the next successful login.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordIterations);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<PasswordCheck>();
        services.AddSingleton<TokenCache>();
        services.AddSingleton<Data.Pipeline.ISaveStep, TokenCacheInvalidation>();

        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            // Jobs, the outbox (every district's mail) and the working-day calendar are the whole system's: in a
            // multi-district deployment only a city admin (no district) runs them; with one district, any admin.
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Admin).RequireAssertion(ctx =>
                ctx.User.District() is null
                || !((ctx.Resource as HttpContext)?.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmOptions>>().Value.MultiDistrict ?? true)))
            .AddPolicy(Policies.Manager, p => p.RequireRole(Roles.Admin, Roles.Supervisor))
            .AddPolicy(Policies.Writer, p => p.RequireRole(Roles.Admin, Roles.Supervisor, Roles.Officer));

        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddSingleton<StorageState>();
        services.AddExceptionHandler<StorageFullExceptionHandler>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<ConcurrencyExceptionHandler>();
        services.AddOpenApi();
        services.AddCrmMetrics(builder.Configuration);

        // Each feature declares its own jobs (AddCrmJob); the jobs page lists them in this order. Hosted services start
        // in this order and stop in reverse: the calendar is seeded before the scheduler starts, and the outbox worker
        // stops before running jobs are cancelled and the scheduler shuts down.
        services.AddCalendar();
        services.AddReminders(builder.Configuration);
        services.AddTargets(builder.Configuration);
        services.AddReports(builder.Configuration);
        services.AddOperations(builder.Configuration);
        services.AddJobs(builder.Configuration);
        services.AddOutbox(builder.Configuration);
        services.AddSearch();
        services.AddImports();
        services.AddWebApp();
        return builder;
    }

    /// <summary>The service's host, built (not started) for a maintenance command: the same configuration and services.</summary>
    public static WebApplication BuildForCommand(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCrm();
        return builder.Build();
    }

    /// <summary>
    /// The published app runs from any directory: the appsettings files beside the binaries are read first, so the
    /// working directory's files, the environment and the command line still override them.
    /// </summary>
    private static void AddSettingsBesideBinaries(WebApplicationBuilder builder)
    {
        var baseDir = AppContext.BaseDirectory;
        if (Path.GetFullPath(builder.Environment.ContentRootPath).TrimEnd('/') == Path.GetFullPath(baseDir).TrimEnd('/'))
        {
            return;
        }

        // The file provider is named explicitly: otherwise the sources resolve against the content root.
        var files = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(baseDir);
        var defaults = new ConfigurationBuilder()
            .AddJsonFile(files, "appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile(files, $"appsettings.{builder.Environment.EnvironmentName}.json", optional: true, reloadOnChange: false);
        foreach (var source in defaults.Sources.Reverse())
        {
            builder.Configuration.Sources.Insert(0, source);
        }
    }

    public static WebApplication UseCrm(this WebApplication app)
    {
        // First: the rate limiter's, the exception handler's and the status pages' answers are in the caller's language too.
        app.UseCallerCulture();
        app.UseOperations();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();

        app.MapOperations();
        app.MapCrmMetrics();

        var api = app.MapGroup("/api");
        api.ValidateInput();
        api.MapAuthApi();
        api.MapReferenceApi();
        api.MapFirmsApi();
        api.MapContactsApi();
        api.MapCasesApi();
        api.MapVisitsApi();
        api.MapTasksApi();
        api.MapUsersApi();
        api.MapRequestsApi();
        api.MapRemindersApi();
        api.MapCalendarApi();
        api.MapJobsApi();
        api.MapOutboxApi();
        api.MapTargetsApi();
        api.MapReportsApi();
        api.MapImports();
        api.MapFirmMerge();
        api.MapExports();
        app.UseWebApp();
        return app;
    }
}
