namespace Xuhui.Crm.Web.Data.Pipeline;

/// <summary>
/// One concern of every save (<see cref="SavePipeline"/>): stamping, auditing, a feature's derived rows or a cache to
/// drop. A step keeps no state of its own between saves: what one save needs travels in its <see cref="SaveRun"/>.
/// </summary>
/// <remarks>
/// A step with a public parameterless constructor is found in the assembly and runs in every context (the host's,
/// commands', tests'), as EF's entity configurations are; a step that needs a host service (a cache) is registered in
/// its feature's Add…() and runs in the host's contexts only.
/// </remarks>
public interface ISaveStep
{
    /// <summary>
    /// Runs before the first write, in pipeline order, and may change the entries about to be written. Returns the work
    /// to do after the first write, inside the save's transaction (rows it adds go in with the save's second write), or
    /// null when there is none.
    /// </summary>
    SaveFollowUp? Before(SaveRun save);
}

/// <summary>Work of a step after the save's first write, in its transaction.</summary>
public delegate Task SaveFollowUp(CrmDbContext db, CancellationToken ct);
