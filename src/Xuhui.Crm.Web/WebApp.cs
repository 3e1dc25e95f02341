using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web;

/// <summary>
/// The officers' web pages: cookie sign-in beside the API's bearer tokens, antiforgery on every form,
/// Chinese by default with an English switch, data-protection keys kept in the data directory.
/// </summary>
public static class WebApp
{
    /// <summary>Chooses bearer for /api (which must answer 401, never redirect) and the cookie for pages.</summary>
    public const string Scheme = "web-or-api";

    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public static IServiceCollection AddWebApp(this IServiceCollection services)
    {
        // Each feature keeps its pages in Features/<Feature>/Pages; every page names its own absolute route.
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AuthorizePage("/Users/Pages/Users", Policies.Admin);
            o.Conventions.AuthorizePage("/Jobs/Pages/Jobs", Policies.Operator);
            o.Conventions.AuthorizePage("/Outbox/Pages/Outbox", Policies.Operator);
            o.Conventions.AllowAnonymousToPage("/Auth/Pages/Login");
            o.Conventions.AllowAnonymousToPage("/Auth/Pages/Culture");
        }).AddMvcOptions(o => o.Filters.Add<Xuhui.Crm.Web.Shared.PageInputFilter>());
        // The layout and the partials several features share.
        services.Configure<Microsoft.AspNetCore.Mvc.Razor.RazorViewEngineOptions>(o => o.PageViewLocationFormats.Add("/Shared/Pages/{0}.cshtml"));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "xuhui.csrf";
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.AddSingleton<UiText>();
        // Chinese text stays readable in the HTML instead of becoming &#x...; entities.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Chinese);
            o.SupportedCultures = o.SupportedUICultures = [Chinese, English];
            // Pages: Chinese unless the officer switched (the browser's language does not decide); the API: Accept-Language.
            o.RequestCultureProviders = [new CallerCultureProvider()];
        });

        // Runs after AddCrm's AddAuthentication(Bearer), so this default wins.
        services.Configure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = Scheme;
            o.DefaultChallengeScheme = Scheme;
            o.DefaultForbidScheme = Scheme;
        });
        services.AddAuthentication()
            .AddPolicyScheme(Scheme, Scheme, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Path.StartsWithSegments("/api") ? BearerTokenHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "xuhui.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/forbidden";
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = WebSignIn.ValidateAsync;
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<CrmOptions>>((o, crm) => o.ExpireTimeSpan = TimeSpan.FromHours(crm.Value.Auth.TokenLifetimeHours));

        // Keys in the database: sign-in cookies and antiforgery tokens survive a restart, and with several instances on
        // one PostgreSQL a cookie issued by one is read by the others.
        // The database reaches every backup, so the keys in it are encrypted under a key that is not there; keys written
        // before that (plain XML) are still read as they are.
        services.AddDataProtection().SetApplicationName("Xuhui.Crm").PersistKeysToDbContext<CrmDbContext>();
        services.AddSingleton<KeyEncryptionKey>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<KeyEncryptionKey>((o, kek) => o.XmlEncryptor = new KeyRingXmlEncryptor(kek));
        return services;
    }

    /// <summary>
    /// Before the exception handler and the status-code pages: the culture the request runs in must also be the one
    /// their problems are written in (a culture set further down does not flow back up to them).
    /// </summary>
    public static WebApplication UseCallerCulture(this WebApplication app)
    {
        app.UseRequestLocalization();
        return app;
    }

    public static WebApplication UseWebApp(this WebApplication app)
    {
        // A missing or malformed key-encryption key stops the start, rather than the first sign-in.
        _ = app.Services.GetRequiredService<KeyEncryptionKey>();
        app.MapRazorPages();
        return app;
    }
}
