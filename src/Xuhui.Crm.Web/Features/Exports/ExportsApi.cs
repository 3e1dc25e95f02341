using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Exports;

/// <summary>
/// Downloads of the firm, case and visit lists with the same filters as the list endpoints. Contact details are
/// masked unless the caller may see them (supervisors and admins, or the firm's own officers), as on screen.
/// </summary>
public static class ExportsApi
{
    public static RouteGroupBuilder MapExports(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/exports").WithTags("Exports");
        group.MapGet("/firms", Firms);
        group.MapGet("/cases", Cases);
        group.MapGet("/visits", Visits);
        return api;
    }

    private static readonly string[] FirmHeaders =
    [
        "企业ID", "企业名称", "统一社会信用代码", "英文名称", "注册地址", "成立日期", "所属街道/园区", "行业", "企业性质", "分级", "状态",
        "职工总数", "研发人员数", "发明专利", "技术领域", "负责专员", "上次走访", "联系人", "职务", "联系电话", "邮箱",
    ];

    public static async Task<Results<EmptyHttpResult, ValidationProblem>> Firms(
        [AsParameters] FirmQuery query, string? format, HttpContext http, ClaimsPrincipal user, FirmSearch search, CrmDbContext db, ReferenceData reference, CancellationToken ct)
    {
        var errors = query.Validate();
        if (!SheetExport.TryFormat(format, out var kind))
        {
            errors.Add("format", "取值应为 xlsx 或 csv (one of: xlsx, csv)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var zones = reference.File.Zones.ToDictionary(z => z.Code, z => z.NameZh);
        var industries = reference.File.Industries.ToDictionary(i => i.Code, i => i.NameZh);
        var me = user.UserId();
        var all = user.IsManager();
        var firms = search.Filter(query);
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
            all || r.Officer ? r.ContactPhone : Mask.Phone(r.ContactPhone), all || r.Officer ? r.ContactEmail : Mask.Email(r.ContactEmail),
            // Past the headers, not written: whose contact went out in full to someone not on the firm (see below).
            all && !r.Officer ? r.ContactId : null,
        });

        // A contact shown in full to someone who is not one of the firm's officers is recorded, as a list view is; what
        // went out is recorded even when the download is cut off part-way.
        var seen = new List<(long ContactId, long FirmId)>();
        try
        {
            await SheetExport.WriteAsync(http, kind, "firms", FirmHeaders, rows, ct, row =>
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
            await Operations.ContactAccessLog.RecordManyAsync(db, me, seen, "GET /api/exports/firms", CancellationToken.None);
        }

        return TypedResults.Empty;
    }

    public static async Task<Results<EmptyHttpResult, ValidationProblem>> Cases(
        string? program, string? stage, long? ownerId, bool? open, long? firmId, string? format, HttpContext http, CrmDbContext db, ReferenceData reference, CancellationToken ct)
    {
        var errors = new Errors();
        if (program is not null && reference.Programs.Find(program) is null)
        {
            errors.Add("program", $"未知项目 (unknown programme): {program}");
        }

        if (!SheetExport.TryFormat(format, out var kind))
        {
            errors.Add("format", "取值应为 xlsx 或 csv (one of: xlsx, csv)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var cases = db.Cases.AsNoTracking();
        cases = program is null ? cases : cases.Where(c => c.Program == program);
        cases = stage is null ? cases : cases.Where(c => c.Stage == stage);
        cases = ownerId is null ? cases : cases.Where(c => c.OwnerId == ownerId);
        cases = open is null ? cases : cases.Where(c => c.IsOpen == open);
        cases = firmId is null ? cases : cases.Where(c => c.FirmId == firmId);
        var rows = cases.OrderBy(c => c.StageSince).ThenBy(c => c.Id).Select(c => new object?[]
        {
            c.Id, c.FirmId, c.Firm!.Name, c.Firm.CreditCode, c.Program, c.Stage, c.IsOpen, c.StageSince, c.OpenedOn, c.ClosedOn,
            db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
            c.CertificateNumber, c.CertificateIssuedOn, c.CertificateExpiresOn,
        });
        await SheetExport.WriteAsync(http, kind, "cases",
            ["案件ID", "企业ID", "企业名称", "统一社会信用代码", "培育项目", "阶段", "进行中", "阶段开始", "立项日期", "结束日期", "负责人", "证书编号", "发证日期", "到期日期"], rows, ct, row =>
            {
                var p = reference.Programs.Find(row[4] as string);
                row[5] = p?.FindStage(row[5] as string)?.NameZh ?? row[5];
                row[4] = p?.NameZh ?? row[4];
            });
        return TypedResults.Empty;
    }

    public static async Task<Results<EmptyHttpResult, ValidationProblem>> Visits(
        long? firmId, long? officerId, DateOnly? from, DateOnly? to, string? status, string? format, HttpContext http, CrmDbContext db, CancellationToken ct)
    {
        var errors = new Errors();
        if (status is not null && !Json.TryParseEnum<VisitStatus>(status, out _))
        {
            errors.Add("status", $"取值应为 (one of): {Json.Allowed<VisitStatus>()}");
        }

        if (!SheetExport.TryFormat(format, out var kind))
        {
            errors.Add("format", "取值应为 xlsx 或 csv (one of: xlsx, csv)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var visits = db.Visits.AsNoTracking();
        visits = firmId is null ? visits : visits.Where(v => v.FirmId == firmId);
        visits = officerId is null ? visits : visits.Where(v => db.VisitOfficers.Where(o => o.UserId == officerId).Select(o => o.VisitId).Contains(v.Id));
        visits = from is null ? visits : visits.Where(v => v.On >= from);
        visits = to is null ? visits : visits.Where(v => v.On <= to);
        if (Json.TryParseEnum<VisitStatus>(status, out var s))
        {
            visits = visits.Where(v => v.Status == s);
        }

        var rows = visits.OrderByDescending(v => v.On).ThenByDescending(v => v.Id).Select(v => new object?[]
        {
            v.Id, v.On, v.FirmId, db.Firms.Where(f => f.Id == v.FirmId).Select(f => f.Name).FirstOrDefault(), v.Kind, v.Status, v.Location, v.Summary, v.Requests,
            db.Users.Where(u => u.Id == v.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
        });
        await SheetExport.WriteAsync(http, kind, "visits", ["走访ID", "日期", "企业ID", "企业名称", "方式", "状态", "地点", "纪要", "诉求", "记录人"], rows, ct);
        return TypedResults.Empty;
    }
}
