using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace Xuhui.Crm.Web.Data.Pipeline;

/// <summary>
/// One save as it passes through the pipeline: the entries, the save's time, the steps' follow-up work, the transaction
/// the pipeline opened and what must happen once the save is over. Lives on the context (<see cref="CrmDbContext.CurrentSave"/>)
/// from the start of a save to its end, so the pipeline itself holds nothing per request.
/// </summary>
public sealed class SaveRun
{
    private readonly List<Action> _ended = [];
    private WriteGate.Scope _turn;
    private bool _over;

    internal SaveRun(CrmDbContext db, WriteGate.Scope turn, DateTime now)
    {
        Db = db;
        _turn = turn;
        Now = now;
        AcceptAllChangesOnSuccess = db.AcceptAllChangesOnSuccess;
    }

    public CrmDbContext Db { get; }

    /// <summary>The save's time (UTC, from the context's clock): every stamp and audit row of the save carries it.</summary>
    public DateTime Now { get; }

    /// <summary>Every tracked entry when the save began, in the change tracker's order.</summary>
    public IReadOnlyList<EntityEntry> Entries { get; private set; } = [];

    /// <summary>The entries the save inserts or updates.</summary>
    public IEnumerable<EntityEntry> Written => Entries.Where(e => e.State is EntityState.Added or EntityState.Modified);

    /// <summary>Runs <paramref name="action"/> once the save is over, whether it committed or not (e.g. a cache is dropped).</summary>
    public void WhenEnded(Action action) => _ended.Add(action);

    internal bool AcceptAllChangesOnSuccess { get; }

    internal List<SaveFollowUp> FollowUps { get; } = [];

    internal IDbContextTransaction? Transaction { get; set; }

    /// <summary>Set while the pipeline writes the follow-up rows: that nested save passes through the pipeline untouched.</summary>
    internal bool SecondWrite { get; set; }

    internal void Snapshot() => Entries = Db.ChangeTracker.Entries().ToList();

    /// <summary>Ends the save once (whichever of success, failure or cancellation reports first): the transaction
    /// the pipeline opened is disposed (rolled back unless committed), then the end actions run and the turn goes.</summary>
    internal async ValueTask EndAsync()
    {
        if (!Begin())
        {
            return;
        }

        try
        {
            if (Transaction is not null)
            {
                await Transaction.DisposeAsync();
            }
        }
        finally
        {
            Finish();
        }
    }

    /// <inheritdoc cref="EndAsync"/>
    internal void End()
    {
        if (!Begin())
        {
            return;
        }

        try
        {
            Transaction?.Dispose();
        }
        finally
        {
            Finish();
        }
    }

    private bool Begin()
    {
        if (_over)
        {
            return false;
        }

        _over = true;
        if (ReferenceEquals(Db.CurrentSave, this))
        {
            Db.CurrentSave = null;
        }

        return true;
    }

    private void Finish()
    {
        try
        {
            foreach (var action in _ended)
            {
                action();
            }
        }
        finally
        {
            _turn.Dispose();
            _turn = default;
        }
    }
}
