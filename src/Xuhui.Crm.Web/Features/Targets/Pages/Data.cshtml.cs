using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Targets.Pages;

/// <summary>
/// Entered indicator values per period (admins and supervisors) and interim yearly targets (admins), through the use
/// cases the /api/indicators routes call: the same validation, and a stale version is shown with the stored value.
/// </summary>
[Authorize(Policy = Policies.Manager)]
public sealed class DataModel(CrmDbContext db, ReferenceData reference, TargetsService targets, TimeProvider clock, UiText t, IOptions<CrmOptions> options) : PageModel
{
    public sealed class ValueForm
    {
        public string? Code { get; set; }
        public string? Period { get; set; }
        public double? Value { get; set; }
        public string? Source { get; set; }
        public DateOnly? SourceDate { get; set; }
        public string? Note { get; set; }
        public int? Version { get; set; }
    }

    public sealed class TargetForm
    {
        public string? Code { get; set; }
        public int? Year { get; set; }
        public double? Target { get; set; }
        public string? Note { get; set; }
        public int? Version { get; set; }
    }

    [BindProperty] public ValueForm Entry { get; set; } = new();
    [BindProperty] public TargetForm Goal { get; set; } = new();

    public List<IndicatorRef> Indicators => reference.File.Indicators;
    public List<IndicatorValueDto> Values { get; private set; } = [];
    public List<IndicatorTargetDto> Targets { get; private set; } = [];
    public string? Conflict { get; private set; }

    public async Task OnGetAsync(string? code, string? period, int? year, CancellationToken ct)
    {
        await LoadAsync(ct);
        var today = ShanghaiTime.Today(clock);
        if (Values.FirstOrDefault(v => v.Code == code && v.Period == period) is { } v)
        {
            Entry = new ValueForm { Code = v.Code, Period = v.Period, Value = v.Value, Source = v.Source, SourceDate = v.SourceDate, Note = v.Note, Version = v.Version };
        }
        else
        {
            Entry = new ValueForm { Code = code, Period = period ?? (today.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), SourceDate = today };
        }

        Goal = Targets.FirstOrDefault(g => g.Code == code && g.Year == year) is { } g
            ? new TargetForm { Code = g.Code, Year = g.Year, Target = g.Target, Note = g.Note, Version = g.Version }
            : new TargetForm { Code = code, Year = year ?? today.Year };
    }

    public async Task<IActionResult> OnPostValueAsync(CancellationToken ct)
    {
        var request = new IndicatorValueRequest(Entry.Value, Entry.Source, Entry.SourceDate, Entry.Note, Entry.Version);
        var outcome = await RecordIndicatorValue.HandleAsync(new(Entry.Code ?? string.Empty, Entry.Period ?? string.Empty, request), Services, ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t.Format("已保存 {0} {1}", Name(outcome.Value!.Code), outcome.Value.Period);
            return RedirectToPage();
        }

        if (outcome.IsConflict && outcome.Current is IndicatorValueDto now)
        {
            Conflict = t.Format("{0} {1} 已被他人录入或修改：现为 {2}（{3}）。确认后再次保存将以你的内容覆盖。", Name(now.Code), now.Period, now.Value, now.Source);
            Entry.Version = now.Version;
            ModelState.Clear();
        }
        else
        {
            outcome.CopyTo(ModelState, nameof(Entry));
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTargetAsync(CancellationToken ct)
    {
        if (!User.IsAdmin())
        {
            return Forbid();
        }

        var request = new IndicatorTargetRequest(Goal.Target, Goal.Note, Goal.Version);
        var outcome = await SetIndicatorTarget.HandleAsync(new(Goal.Code ?? string.Empty, Goal.Year ?? 0, request), Services, ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t.Format("已保存 {0} {1} 年目标", Name(outcome.Value!.Code), outcome.Value.Year);
            return RedirectToPage();
        }

        if (outcome.IsConflict && outcome.Current is IndicatorTargetDto now)
        {
            Conflict = t.Format("{0} {1} 年目标已被他人修改：现为 {2}。确认后再次保存将以你的内容覆盖。", Name(now.Code), now.Year, now.Target);
            Goal.Version = now.Version;
            ModelState.Clear();
        }
        else
        {
            outcome.CopyTo(ModelState, nameof(Goal));
        }

        await LoadAsync(ct);
        return Page();
    }

    public string Name(string code) => Indicators.FirstOrDefault(i => i.Code == code) is { } i ? t.Name(i.NameZh, i.NameEn) : code;

    private TargetServices Services => new(db, reference, targets, clock, options);

    private async Task LoadAsync(CancellationToken ct)
    {
        Values = await TargetQueries.AllValuesAsync(Services, ct);
        Targets = await TargetQueries.AllTargetsAsync(Services, ct);
    }
}
