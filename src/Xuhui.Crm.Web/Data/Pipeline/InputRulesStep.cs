namespace Xuhui.Crm.Web.Data.Pipeline;

/// <summary>Whatever path built the entities, text PostgreSQL would refuse (or no column should hold) never reaches it.</summary>
internal sealed class InputRulesStep : ISaveStep
{
    public SaveFollowUp? Before(SaveRun save)
    {
        var rejected = Shared.InputRules.CheckEntries(save.Entries);
        if (rejected.Any)
        {
            throw new Shared.InputRejectedException(rejected);
        }

        return null;
    }
}
