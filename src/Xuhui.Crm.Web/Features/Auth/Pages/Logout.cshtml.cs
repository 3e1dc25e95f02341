using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Web.Features.Auth;

namespace Xuhui.Crm.Web.Features.Auth.Pages;

public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await Features.Auth.WebSignIn.SignOutAsync(HttpContext);
        return Redirect("/login");
    }
}
