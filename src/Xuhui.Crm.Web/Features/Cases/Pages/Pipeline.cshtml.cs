using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Cases.Pages;

/// <summary>One board per programme: a column per stage with its count, cards longest-in-stage first.</summary>
public sealed class PipelineModel(CrmDbContext db, ReferenceData reference, TimeProvider clock) : PageModel
{
    public const int CardsPerColumn = 30;

    public sealed record Card(long Id, long FirmId, string FirmName, string Stage, DateOnly StageSince, long OwnerId, string? OwnerName, bool CanEdit);

    public sealed record Column(StageDefinition Stage, int Count, List<Card> Cards);

    [BindProperty(SupportsGet = true)]
    public string? Program { get; set; }

    public ProgramDefinition Current { get; private set; } = null!;
    public List<Column> Columns { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public ProgramCatalog Programs => reference.Programs;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var found = reference.Programs.Find(Program ?? ProgramCatalog.Hnte);
        if (found is null)
        {
            return NotFound();
        }

        Current = found;
        Today = ShanghaiTime.Today(clock);
        var counts = await db.Cases.AsNoTracking().Where(c => c.Program == found.Code)
            .GroupBy(c => c.Stage).Select(g => new { Stage = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Stage, g => g.Count, ct);
        var me = User.UserId();
        var manager = User.IsManager();
        var writer = User.CanWrite();
        foreach (var stage in found.Stages.OrderBy(s => s.Order))
        {
            var cases = db.Cases.AsNoTracking().Where(c => c.Program == found.Code && c.Stage == stage.Code);
            cases = stage.Open ? cases.OrderBy(c => c.StageSince).ThenBy(c => c.Id) : cases.OrderByDescending(c => c.StageSince).ThenByDescending(c => c.Id);
            var cards = await cases.Take(CardsPerColumn)
                .Select(c => new Card(
                    c.Id, c.FirmId, c.Firm!.Name, c.Stage, c.StageSince, c.OwnerId,
                    db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                    manager || (writer && c.OwnerId == me)))
                .ToListAsync(ct);
            Columns.Add(new Column(stage, counts.GetValueOrDefault(stage.Code), cards));
        }

        return Page();
    }
}
