using System.Diagnostics;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>
/// Where one import's time went, phase after phase from the upload to the answer, each with its start offset so a
/// slow officer save during the import can be matched to the phase that held the database (benchmark note).
/// </summary>
public sealed class ImportPhases
{
    private readonly List<(string Name, TimeSpan Start, TimeSpan Length)> _phases = [];
    private TimeSpan _last;

    /// <summary>When the import began (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    public IReadOnlyList<(string Name, TimeSpan Start, TimeSpan Length)> Phases => _phases;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartedAt);

    /// <summary>Ends the current phase under <paramref name="name"/>; the next one starts now.</summary>
    public void Mark(string name)
    {
        var now = Elapsed;
        _phases.Add((name, _last, now - _last));
        _last = now;
    }

    public override string ToString() =>
        string.Join(", ", _phases.Where(p => p.Length >= TimeSpan.FromMilliseconds(5)).Select(p => $"{p.Name} {p.Length.TotalSeconds:F2} s"));
}
