using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Domain.Users;

public static class Roles
{
    public const string Admin = "admin";
    public const string Supervisor = "supervisor";
    public const string Officer = "officer";
    public const string Viewer = "viewer";

    /// <summary>City leadership: reads every district and the city totals; writes nothing.</summary>
    public const string CityViewer = "city-viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Supervisor, Officer, Viewer, CityViewer];

    /// <summary>Roles that only read.</summary>
    public static bool IsReadOnly(string role) => role is Viewer or CityViewer;
}

public sealed class User : IVersioned
{
    public long Id { get; set; }
    public int Version { get; set; }
    public string UserName { get; set; } = string.Empty;
    public string DisplayName { get; set; } = string.Empty;
    public string? Email { get; set; }
    public string Role { get; set; } = Roles.Officer;
    public long? SupervisorId { get; set; }

    /// <summary>The user's district; null for city-wide users (a city admin or a city viewer), who see every district.</summary>
    public string? DistrictCode { get; set; }
    public string PasswordHash { get; set; } = string.Empty;
    public bool IsActive { get; set; } = true;

    /// <summary>Changes whenever the user is deactivated, changes role or password: issued tokens stop working.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    public int FailedLogins { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An issued bearer token; only its SHA-256 hash is stored.</summary>
public sealed class AccessToken
{
    public long Id { get; set; }
    public string TokenHash { get; set; } = string.Empty;
    public long UserId { get; set; }
    public string SecurityStamp { get; set; } = string.Empty;
    public DateTime ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
