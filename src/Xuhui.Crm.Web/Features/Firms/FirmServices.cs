using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>
/// What the firm use cases need, bound as one <c>[AsParameters]</c> argument by the API and built from the page's
/// injected services by the pages, so a new dependency changes this record and not every handler signature.
/// </summary>
public sealed record FirmServices(CrmDbContext Db, ReferenceData Reference, TimeProvider Clock, IOptions<CrmOptions> Options);
