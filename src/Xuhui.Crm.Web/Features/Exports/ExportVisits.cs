using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Exports;

/// <summary>The visit list as a sheet, newest first, with the visit list's filters.</summary>
public static class ExportVisits
{
    public sealed record Command(long? FirmId, long? OfficerId, DateOnly? From, DateOnly? To, string? Status, string? Format);

    public static async Task<Outcome<bool>> HandleAsync(Command c, HttpContext http, ExportServices s, CancellationToken ct)
    {
        var db = s.Db;
        var errors = new Errors();
        if (c.Status is not null && !Json.TryParseEnum<VisitStatus>(c.Status, out _))
        {
            errors.Add("status", Text.F("取值应为：{0}", Json.Allowed<VisitStatus>()));
        }

        ExportText.CheckFormat(errors, c.Format, out var kind);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var visits = db.Visits.AsNoTracking();
        visits = c.FirmId is null ? visits : visits.Where(v => v.FirmId == c.FirmId);
        visits = c.OfficerId is null ? visits : visits.Where(v => db.VisitOfficers.Where(o => o.UserId == c.OfficerId).Select(o => o.VisitId).Contains(v.Id));
        visits = c.From is null ? visits : visits.Where(v => v.On >= c.From);
        visits = c.To is null ? visits : visits.Where(v => v.On <= c.To);
        if (Json.TryParseEnum<VisitStatus>(c.Status, out var status))
        {
            visits = visits.Where(v => v.Status == status);
        }

        var rows = visits.OrderByDescending(v => v.On).ThenByDescending(v => v.Id).Select(v => new object?[]
        {
            v.Id, v.On, v.FirmId, db.Firms.Where(f => f.Id == v.FirmId).Select(f => f.Name).FirstOrDefault(), v.Kind, v.Status, v.Location, v.Summary, v.Requests,
            db.Users.Where(u => u.Id == v.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
        });
        var headers = ExportText.Headers("走访ID", "日期", "企业ID", "企业名称", "方式", "状态", "地点", "纪要", "诉求", "记录人");
        await SheetExport.WriteAsync(http, kind, "visits", headers, rows, ct);
        return Outcome.Ok(true);
    }
}
