using System.Security.Claims;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>Records that a year's development report was filed (once per year; filing again moves the date).</summary>
public static class FileAnnualReport
{
    public sealed record Command(long Id, AnnualReportRequest Request);

    public static async Task<Outcome<CaseDto>> HandleAsync(Command command, ClaimsPrincipal user, CaseServices s, CancellationToken ct)
    {
        var (id, request) = command;
        var c = await CaseStore.LoadAsync(s.Db, id, tracking: true, ct);
        if (c is null)
        {
            return Outcome.NotFound(Messages.CaseNotFound(id));
        }

        if (!CaseAccess.CanEdit(user, c.OwnerId))
        {
            return Outcome.Forbidden(Text.T("只有案件负责人、科长或管理员可以登记年报"));
        }

        var today = s.Today();
        var errors = new Errors();
        if (s.Reference.Programs.Find(c.Program) is not { AnnualReports: true })
        {
            errors.Add("program", Text.T("只有高新技术企业案件需要报送年度发展情况报表"));
        }

        if (request.Year is null || request.Year < 2000 || request.Year > today.Year)
        {
            errors.Add("year", Text.T("年度无效"));
        }

        var filedOn = request.FiledOn ?? today;
        if (filedOn > today)
        {
            errors.Add("filedOn", CaseMessages.NotInFuture);
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var existing = c.AnnualReports.FirstOrDefault(a => a.Year == request.Year);
        if (existing is null)
        {
            c.AnnualReports.Add(new AnnualReportFiling { Year = request.Year!.Value, FiledOn = filedOn });
        }
        else
        {
            existing.FiledOn = filedOn;
        }

        await s.Db.SaveChangesAsync(ct);
        return Outcome.Ok(s.Dto(c));
    }
}
