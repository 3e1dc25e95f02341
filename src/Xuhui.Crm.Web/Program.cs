using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web;
using Xuhui.Crm.Web.Seeding;

// Before anything is written (the commands too): the database, backups, outbox files and secrets are the owner's only.
OwnerOnlyFiles.RestrictProcessUmask();

if (Commands.IsCommand(args))
{
    return await Commands.RunAsync(args);
}

if (MaintenanceCommands.Handles(args))
{
    return await MaintenanceCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddCrm();
var app = builder.Build();
await DatabaseInitializer.InitializeAsync(app.Services);
app.UseCrm();
await app.RunAsync();
return 0;

/// <summary>The host; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;
