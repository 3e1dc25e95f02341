using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;

namespace Xuhui.Crm.Web.Features.Auth.Pages;

/// <summary>Cookie sign-in with the same password check, lockout and rate limit as POST /api/auth/login.</summary>
[EnableRateLimiting(OperationsSetup.LoginRateLimit)]
public sealed class LoginModel(PasswordCheck passwords, CrmDbContext db, UiText t) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(string.Empty, t["请输入用户名和密码"]);
            return Page();
        }

        var verdict = await passwords.VerifyAsync(UserName, Password, ct);
        // One answer for a wrong password and a locked account, so the page does not reveal which accounts exist or are
        // locked; it only reminds that repeated failures lock for a while.
        if (verdict.Outcome != PasswordOutcome.Valid || verdict.User is not { } user)
        {
            ModelState.AddModelError(string.Empty, t["用户名或密码错误；连续多次失败后账户将暂时锁定"]);
            return Page();
        }

        await db.SaveChangesAsync(ct);
        await WebSignIn.SignInAsync(HttpContext, user);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
