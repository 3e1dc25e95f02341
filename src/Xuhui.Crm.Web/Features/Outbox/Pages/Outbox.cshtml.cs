using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Outbox.Pages;

/// <summary>The outbox by status, with retry of failed messages; the same use cases as /api/admin/outbox.</summary>
public sealed class OutboxModel(CrmDbContext db, OutboxDispatcher dispatcher, TimeProvider clock, OutboxSignal signal, UiText t) : PageModel
{
    public OutboxPage Messages { get; private set; } = new([], 0, 1, 50, [], string.Empty);

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var status = Status is { Length: > 0 } s && Json.TryParseEnum<OutboxStatus>(s, out _) ? s : null;
        Status = status;
        Messages = (await ListOutbox.HandleAsync(new(status, PageNumber, 50), db, dispatcher, ct)).Value ?? Messages;
    }

    /// <summary>The stored message as an .eml file (the API's download needs a bearer token, a browser has the cookie).</summary>
    public async Task<IActionResult> OnGetEmlAsync(long id, CancellationToken ct) =>
        await ListOutbox.EmlAsync(id, db, ct) is { IsOk: true, Value: { } mime }
            ? File(mime, "message/rfc822", ListOutbox.EmlFileName(id))
            : NotFound();

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken ct)
    {
        var outcome = await RetryOutbox.OneAsync(id, db, clock, signal, ct);
        TempData[outcome.IsOk ? "Flash" : "Error"] = outcome.IsOk ? t.Format("邮件 {0} 已重新排队", id) : outcome.Message;
        return RedirectToPage(new { status = Status });
    }

    public static string Code(OutboxStatus status) => Json.EnumText(status);

    public static string StatusName(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => "待发送",
        OutboxStatus.Sending => "发送中",
        OutboxStatus.Sent => "已发送",
        OutboxStatus.Failed => "发送失败",
        _ => status.ToString(),
    };
}
