using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms.Pages;

/// <summary>The firm list: the API's FirmSearch (same filters, same indexes) rendered as a page.</summary>
public sealed class IndexModel(FirmSearch search, CrmDbContext db, ReferenceData reference, IOptions<CrmOptions> options) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Program { get; set; }
    [BindProperty(SupportsGet = true)] public string? Stage { get; set; }
    [BindProperty(SupportsGet = true)] public long? OfficerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Zone { get; set; }
    [BindProperty(SupportsGet = true)] public string? Industry { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public FirmPage Result { get; private set; } = new([], 0, 1, PageSize);
    public ILookup<long, (string Program, string Stage)> OpenCases { get; private set; } = Array.Empty<(long, string, string)>().ToLookup(x => x.Item1, x => (x.Item2, x.Item3));
    public Dictionary<long, string> Officers { get; private set; } = [];
    public List<OfficerDto> Colleagues { get; private set; } = [];
    public ReferenceData Reference => reference;

    /// <summary>The zone filter's choices: the user's district's zones; a city-wide user's, every district's.</summary>
    public IEnumerable<NamedCode> Zones => reference.ZonesOf(ReferenceData.ZoneScope(db, options.Value));

    /// <summary>Zones of several districts are told apart by their district's name.</summary>
    public string? ZoneDistrictName(NamedCode zone) =>
        options.Value.MultiDistrict && db.District is null && zone.District is { } d ? reference.DistrictName(d) : null;
    public ProgramCatalog Programs => reference.Programs;
    public List<string> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Colleagues = (await UserDirectory.OfficersAsync(db, ct)).Where(o => !Domain.Users.Roles.IsReadOnly(o.Role)).ToList();
        Officers = Colleagues.ToDictionary(o => o.Id, o => o.DisplayName);
        var query = new FirmQuery(Blank(Q), Blank(Program), Blank(Stage), OfficerId, Blank(Zone), Blank(Industry), Blank(Tier), null, Blank(Sort), PageNumber, PageSize);
        var errors = query.Validate();
        if (errors.Any)
        {
            Errors = errors.ToDictionary().SelectMany(e => e.Value).ToList();
            return;
        }

        Result = await search.SearchAsync(query, ct);
        var ids = Result.Items.Select(f => f.Id).ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.FirmId) && c.IsOpen)
            .Select(c => new { c.FirmId, c.Program, c.Stage }).ToListAsync(ct);
        OpenCases = cases.ToLookup(c => c.FirmId, c => (c.Program, c.Stage));
    }

    public IEnumerable<StageDefinition> StageChoices =>
        Programs.Find(Program) is { } p ? p.Stages : Programs.Programs.SelectMany(p => p.Stages).DistinctBy(s => s.Code);

    /// <summary>The current filters with some values replaced, for sort and pager links.</summary>
    public string Link(string? sort = null, int? page = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["q"] = Q, ["program"] = Program, ["stage"] = Stage, ["officerId"] = OfficerId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["zone"] = Zone, ["industry"] = Industry, ["tier"] = Tier, ["sort"] = sort ?? Sort,
            ["p"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/firms", values.Where(v => !string.IsNullOrEmpty(v.Value)));
    }

    public string SortLink(string field) => Link(sort: Sort == field ? "-" + field : field, page: null);

    public string? SortState(string field) => Sort == field ? "ascending" : Sort == "-" + field ? "descending" : null;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
