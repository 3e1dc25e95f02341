using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Exports;

/// <summary>The case list as a sheet, with the case list's filters; programme and stage by their names.</summary>
public static class ExportCases
{
    public sealed record Command(string? Program, string? Stage, long? OwnerId, bool? Open, long? FirmId, string? Format);

    public static async Task<Outcome<bool>> HandleAsync(Command c, HttpContext http, ExportServices s, CancellationToken ct)
    {
        var (db, reference) = (s.Db, s.Reference);
        var errors = new Errors();
        if (c.Program is not null && reference.Programs.Find(c.Program) is null)
        {
            errors.Add("program", Text.F("未知项目：{0}", c.Program));
        }

        ExportText.CheckFormat(errors, c.Format, out var kind);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var cases = db.Cases.AsNoTracking();
        cases = c.Program is null ? cases : cases.Where(x => x.Program == c.Program);
        cases = c.Stage is null ? cases : cases.Where(x => x.Stage == c.Stage);
        cases = c.OwnerId is null ? cases : cases.Where(x => x.OwnerId == c.OwnerId);
        cases = c.Open is null ? cases : cases.Where(x => x.IsOpen == c.Open);
        cases = c.FirmId is null ? cases : cases.Where(x => x.FirmId == c.FirmId);
        var rows = cases.OrderBy(x => x.StageSince).ThenBy(x => x.Id).Select(x => new object?[]
        {
            x.Id, x.FirmId, x.Firm!.Name, x.Firm.CreditCode, x.Program, x.Stage, x.IsOpen, x.StageSince, x.OpenedOn, x.ClosedOn,
            db.Users.Where(u => u.Id == x.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
            x.CertificateNumber, x.CertificateIssuedOn, x.CertificateExpiresOn,
        });
        var headers = ExportText.Headers("案件ID", "企业ID", "企业名称", "统一社会信用代码", "培育项目", "阶段", "进行中", "阶段开始", "立项日期", "结束日期", "负责人", "证书编号", "发证日期", "到期日期");
        await SheetExport.WriteAsync(http, kind, "cases", headers, rows, ct, row =>
        {
            var p = reference.Programs.Find(row[4] as string);
            row[5] = p?.FindStage(row[5] as string)?.NameZh ?? row[5];
            row[4] = p?.NameZh ?? row[4];
        });
        return Outcome.Ok(true);
    }
}
