using System.Security.Claims;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>
/// Records a case's certificate. An expiry left empty follows the programme's certificate term when it has one (HNTE:
/// the day before the third anniversary); the printed date always wins.
/// </summary>
public static class SetCertificate
{
    public sealed record Command(long Id, CertificateRequest Request);

    public static async Task<Outcome<CaseDto>> HandleAsync(Command command, ClaimsPrincipal user, CaseServices s, CancellationToken ct)
    {
        var (id, request) = command;
        if (request.Version is null)
        {
            return Outcome.Invalid("version", Problems.VersionRequired);
        }

        var loaded = await CaseStore.LoadForEditAsync(s, user, id, request.Version.Value, Text.T("只有案件负责人、科长或管理员可以维护证书"), ct);
        if (!loaded.IsOk)
        {
            return loaded.Failure;
        }

        var c = loaded.Value!;
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(request.Number))
        {
            errors.Add("number", Text.T("证书编号必填"));
        }

        if (request.IssuedOn is null)
        {
            errors.Add("issuedOn", Text.T("发证日期必填"));
        }

        var program = s.Reference.Programs.Find(c.Program);
        var expires = request.ExpiresOn ?? (request.IssuedOn is { } issued ? program?.DefaultCertificateExpiry(issued) : null);
        if (expires is not null && request.IssuedOn is not null && expires <= request.IssuedOn)
        {
            errors.Add("expiresOn", Text.T("有效期截止日应晚于发证日期"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        c.CertificateNumber = request.Number!.Trim();
        c.CertificateIssuedOn = request.IssuedOn;
        c.CertificateExpiresOn = expires;
        return await CaseStore.SaveAsync(s, c, ct);
    }
}
