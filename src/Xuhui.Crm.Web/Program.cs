using Xuhui.Crm.Web.Infrastructure;
using Xuhui.Crm.Web.Seeding;

if (Commands.IsCommand(args))
{
    Environment.ExitCode = await Commands.RunAsync(args);
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddCrm();
var app = builder.Build();
await DatabaseInitializer.InitializeAsync(app.Services);
app.UseCrm();
await app.RunAsync();

/// <summary>The host; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;
