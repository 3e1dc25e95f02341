namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>One run of the backup: where it went, how big, whether it verified.</summary>
public sealed class BackupRecord
{
    public long Id { get; set; }
    public string FileName { get; set; } = string.Empty;
    public DateTime StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public long SizeBytes { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }

    /// <summary>True while the file is still on disk (retention deletes old ones).</summary>
    public bool Retained { get; set; } = true;
}

/// <summary>Small key/value facts about the installation, e.g. that demo data was loaded.</summary>
public sealed class AppSetting
{
    public string Key { get; set; } = string.Empty;
    public string Value { get; set; } = string.Empty;
    public DateTime UpdatedAt { get; set; }

    public const string DemoDataLoaded = "demo-data-loaded";
}

/// <summary>A full view of a contact's details by someone who is not one of the firm's officers (PIPL accountability).</summary>
public sealed class ContactAccess
{
    public long Id { get; set; }
    public long ContactId { get; set; }
    public long FirmId { get; set; }
    public long UserId { get; set; }
    public string Route { get; set; } = string.Empty;
    public DateTime At { get; set; }
}
