using System.Security.Claims;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Exports;

/// <summary>
/// The firm list as a sheet, with the list's filters and sort. Contact details are masked unless the caller may see them
/// (supervisors and admins, or the firm's own officers), as on screen.
/// </summary>
public static class ExportFirms
{
    public sealed record Command(FirmQuery Query, string? Format);

    private static readonly string[] FirmHeaders =
    [
        "企业ID", "企业名称", "统一社会信用代码", "英文名称", "注册地址", "成立日期", "所属街道/园区", "行业", "企业性质", "分级", "状态",
        "职工总数", "研发人员数", "发明专利", "技术领域", "负责专员", "上次走访", "联系人", "职务", "联系电话", "邮箱",
    ];

    public static async Task<Outcome<bool>> HandleAsync(Command command, HttpContext http, ClaimsPrincipal user, ExportServices s, CancellationToken ct)
    {
        var (db, reference, query) = (s.Db, s.Reference, command.Query);
        var errors = query.Validate();
        ExportText.CheckFormat(errors, command.Format, out var kind);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var zones = reference.File.Zones.ToDictionary(z => z.Code, z => z.NameZh);
        var industries = reference.File.Industries.ToDictionary(i => i.Code, i => i.NameZh);
        var me = user.UserId();
        var all = user.IsManager();
        var firms = s.Search.Filter(query);
        var ordered = query.Sort switch
        {
            "-name" => firms.OrderByDescending(f => f.Name).ThenByDescending(f => f.Id),
            "createdAt" => firms.OrderBy(f => f.Id),
            "-createdAt" => firms.OrderByDescending(f => f.Id),
            "lastVisitOn" => firms.OrderBy(f => f.LastVisitOn).ThenBy(f => f.Id),
            "-lastVisitOn" => firms.OrderByDescending(f => f.LastVisitOn).ThenByDescending(f => f.Id),
            _ => firms.OrderBy(f => f.Name).ThenBy(f => f.Id),
        };
        var rows = ordered.Select(f => new
        {
            Firm = f,
            Lead = db.Users.Where(u => u.Id == f.LeadOfficerId).Select(u => u.DisplayName).FirstOrDefault(),
            Officer = f.LeadOfficerId == me || db.FirmOfficers.Any(o => o.FirmId == f.Id && o.UserId == me),
            ContactId = db.Contacts.Where(c => c.FirmId == f.Id && !c.IsArchived).OrderBy(c => c.Id).Select(c => (long?)c.Id).FirstOrDefault(),
            ContactName = db.Contacts.Where(c => c.FirmId == f.Id && !c.IsArchived).OrderBy(c => c.Id).Select(c => c.Name).FirstOrDefault(),
            ContactTitle = db.Contacts.Where(c => c.FirmId == f.Id && !c.IsArchived).OrderBy(c => c.Id).Select(c => c.Title).FirstOrDefault(),
            ContactPhone = db.Contacts.Where(c => c.FirmId == f.Id && !c.IsArchived).OrderBy(c => c.Id).Select(c => c.Phone).FirstOrDefault(),
            ContactEmail = db.Contacts.Where(c => c.FirmId == f.Id && !c.IsArchived).OrderBy(c => c.Id).Select(c => c.Email).FirstOrDefault(),
        }).Select(r => new object?[]
        {
            r.Firm.Id, r.Firm.Name, r.Firm.CreditCode, r.Firm.EnglishName, r.Firm.Address, r.Firm.EstablishedOn,
            r.Firm.Zone, r.Firm.Industry, r.Firm.Ownership, r.Firm.Tier, r.Firm.Status,
            r.Firm.Headcount, r.Firm.RdHeadcount, r.Firm.InventionPatents, r.Firm.TechField, r.Lead, r.Firm.LastVisitOn,
            r.ContactName, r.ContactTitle,
            all || r.Officer ? r.ContactPhone : ContactMask.Phone(r.ContactPhone), all || r.Officer ? r.ContactEmail : ContactMask.Email(r.ContactEmail),
            // Past the headers, not written: whose contact went out in full to someone not on the firm (see below).
            all && !r.Officer ? r.ContactId : null,
        });

        // A contact shown in full to someone who is not one of the firm's officers is recorded, as a list view is; what
        // went out is recorded even when the download is cut off part-way.
        var seen = new List<(long ContactId, long FirmId)>();
        try
        {
            await SheetExport.WriteAsync(http, kind, "firms", ExportText.Headers(FirmHeaders), rows, ct, row =>
            {
                row[6] = row[6] is string z ? zones.GetValueOrDefault(z, z) : null;
                row[7] = row[7] is string i ? industries.GetValueOrDefault(i, i) : null;
                if (row[FirmHeaders.Length] is long contactId)
                {
                    seen.Add((contactId, (long)row[0]!));
                }
            });
        }
        finally
        {
            await ContactAccessLog.RecordManyAsync(db, me, seen, "GET /api/exports/firms", CancellationToken.None);
        }

        return Outcome.Ok(true);
    }
}
