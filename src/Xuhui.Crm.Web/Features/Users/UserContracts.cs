using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Users;

/// <param name="District">The user's district (GB/T 2260 code); see <see cref="UserRules.ResolveDistrict"/> for when it may be omitted.</param>
[WritesTo(typeof(User))]
public sealed record UserRequest(int? Version, string? UserName, string? DisplayName, string? Email, string? Role, long? SupervisorId, string? Password, [property: WritesColumn(nameof(User.DistrictCode))] string? District = null);

public sealed record DeactivateRequest(long? HandOverTo);

/// <param name="District">Null for a city-wide user (city admin, city viewer).</param>
public sealed record UserDto(long Id, int Version, string UserName, string DisplayName, string? Email, string Role, long? SupervisorId, bool IsActive, DateTime CreatedAt, string? District = null)
{
    public static UserDto From(User u) => new(u.Id, u.Version, u.UserName, u.DisplayName, u.Email, u.Role, u.SupervisorId, u.IsActive, u.CreatedAt, u.DistrictCode);
}

/// <summary>What anyone logged in may know of a colleague (for pickers): no email.</summary>
public sealed record OfficerDto(long Id, string DisplayName, string Role, long? SupervisorId);

public sealed record HandOverSummary(int Firms, int CoOfficerFirms, int Cases, int Tasks, int Reports);
