using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Requests;

namespace Xuhui.Crm.Web.Data;

public sealed partial class CrmDbContext
{
    public DbSet<FirmRequest> Requests => Set<FirmRequest>();
    public DbSet<RequestProgress> RequestProgress => Set<RequestProgress>();
}
