namespace Xuhui.Crm.Web.Seeding;

/// <summary>Explicit keys for bulk-written rows: each table continues after its current maximum.</summary>
public sealed class SyntheticIds
{
    public long User { get; set; }
    public long Firm { get; set; }
    public long FirmFinancial { get; set; }
    public long FirmStatusChange { get; set; }
    public long Contact { get; set; }
    public long Case { get; set; }
    public long CaseTransition { get; set; }
    public long AnnualReportFiling { get; set; }
    public long Visit { get; set; }
    public long Task { get; set; }

    public long NextUser() => ++User;
    public long NextFirm() => ++Firm;
    public long NextFinancial() => ++FirmFinancial;
    public long NextStatusChange() => ++FirmStatusChange;
    public long NextContact() => ++Contact;
    public long NextCase() => ++Case;
    public long NextTransition() => ++CaseTransition;
    public long NextFiling() => ++AnnualReportFiling;
    public long NextVisit() => ++Visit;
    public long NextTask() => ++Task;
}
