using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>What the import use cases need, bound as one <c>[AsParameters]</c> record by the API and built by the page.</summary>
public sealed record ImportServices(CrmDbContext Db, ImportService Imports);
