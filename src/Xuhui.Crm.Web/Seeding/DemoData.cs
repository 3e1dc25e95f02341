namespace Xuhui.Crm.Web.Seeding;

/// <summary>Loads the demo data set (about 300 fictitious firms) into an empty database.</summary>
/// <remarks>STUB: filled in with the generator.</remarks>
public sealed class DemoData
{
    public Task SeedAsync(CancellationToken ct) => Task.CompletedTask;
}
