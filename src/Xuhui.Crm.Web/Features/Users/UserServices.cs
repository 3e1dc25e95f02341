using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>What the user use cases need; the API binds it with [AsParameters], pages build it from their own injections.</summary>
public sealed record UserServices(CrmDbContext Db, IPasswordHasher<User> Hasher, ReferenceData Reference, IOptions<CrmOptions> Options, TimeProvider Clock);
