using Xuhui.Crm.Domain.Programs;

namespace Xuhui.Crm.Domain.Tests.Programs;

/// <summary>The real seed/reference/programs.json, copied next to the test assembly by the csproj.</summary>
internal static class SeedCatalog
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, ProgramCatalog.DefaultRelativePath);

    public static ProgramCatalog Load() => ProgramCatalog.Load(Path);

    /// <summary>Every (programme, from, to) pair of distinct stages, with whether the seed allows it.</summary>
    public static IEnumerable<(string Program, string From, string To, bool Allowed)> AllPairs()
    {
        var catalog = Load();
        foreach (var p in catalog.Programs)
        {
            foreach (var from in p.Stages)
            {
                foreach (var to in p.Stages)
                {
                    yield return (p.Code, from.Code, to.Code, p.CanMove(from.Code, to.Code));
                }
            }
        }
    }
}
