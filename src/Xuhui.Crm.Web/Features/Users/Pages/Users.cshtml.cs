using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Users.Pages;

/// <summary>Users and roles (the /Admin folder requires the admin policy), through the user use cases.</summary>
public sealed class UsersModel(
    CrmDbContext db, IPasswordHasher<User> hasher, UiText t, Features.Reference.ReferenceData reference, Microsoft.Extensions.Options.IOptions<Xuhui.Crm.Web.Shared.CrmOptions> options, TimeProvider clock) : PageModel
{
    private UserServices Services => new(db, hasher, reference, options, clock);

    public sealed class NewUser
    {
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        public string? Email { get; set; }
        public string Role { get; set; } = Roles.Officer;
        public string? Password { get; set; }

        /// <summary>Empty: the admin's own district (or the deployment's).</summary>
        public string? District { get; set; }
    }

    [BindProperty]
    public NewUser Form { get; set; } = new();

    public List<UserDto> Users { get; private set; } = [];

    /// <summary>Several districts: the create form asks for the user's district.</summary>
    public bool MultiDistrict => options.Value.MultiDistrict;

    public IReadOnlyList<Features.Reference.NamedCode> Districts => reference.File.Districts;

    public async Task OnGetAsync(CancellationToken ct) => Users = await UserQueries.ListAsync(db, ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var request = new UserRequest(null, Form.UserName, Form.DisplayName, Form.Email, Form.Role, null, Form.Password, string.IsNullOrWhiteSpace(Form.District) ? null : Form.District.Trim());
        var outcome = await CreateUser.HandleAsync(new(request), Services, ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t.Format("已创建用户 {0}", outcome.Value!.UserName);
            return RedirectToPage();
        }

        outcome.CopyTo(ModelState, nameof(Form));
        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(long id, int version, string role, CancellationToken ct)
    {
        var user = await UserQueries.FindAsync(db, id, ct);
        if (user is null)
        {
            return NotFound();
        }

        var request = new UserRequest(version, user.UserName, user.DisplayName, user.Email, role, user.SupervisorId, null, user.District);
        var outcome = await UpdateUser.HandleAsync(new(id, request), Services, ct);
        TempData[outcome.IsOk ? "Flash" : "Error"] = outcome.IsOk
            ? t.Format("{0} 的角色已改为 {1}", user.DisplayName, t[RoleName(role)])
            : outcome.Message ?? outcome.Errors?.ToDictionary().Values.SelectMany(m => m).FirstOrDefault();
        return RedirectToPage();
    }

    public static string RoleName(string role) => role switch
    {
        Roles.Admin => "管理员",
        Roles.Supervisor => "科长",
        Roles.Officer => "专员",
        Roles.Viewer => "只读",
        Roles.CityViewer => "全市只读",
        _ => role,
    };
}
