using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Shared;

public static partial class InputRules
{
    private static readonly ConcurrentDictionary<Type, bool> PeopleWrite = new();

    /// <summary>
    /// The last line of defence, in the save: strings over their column's length or with a NUL anywhere, and in the
    /// records people write, the control-character rule and the bounds of unlimited columns. Modified rows are checked
    /// on their modified members only, so an old stored value never blocks an unrelated edit.
    /// </summary>
    public static Errors CheckEntries(IEnumerable<EntityEntry> entries)
    {
        var errors = new Errors();
        foreach (var entry in entries)
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            var userContent = PeopleWrite.GetOrAdd(entry.Metadata.ClrType, static t =>
                t.Assembly == typeof(Firm).Assembly || Attribute.IsDefined(t, typeof(UserContentAttribute), inherit: false));
            foreach (var property in entry.Properties)
            {
                if (entry.State == EntityState.Modified && !property.IsModified)
                {
                    continue;
                }

                var name = property.Metadata.Name;
                var people = userContent && !Internal.Contains(name);
                var multi = MultiLine.Contains(name);
                var max = property.Metadata.ClrType == typeof(string) ? property.Metadata.GetMaxLength() : null;
                max ??= people ? (multi ? MultiLineMaxLength : DefaultMaxLength) : null;
                var field = CamelCase(name);
                switch (property.CurrentValue)
                {
                    case string s when TextProblem(s, max, multi, controlsAllowed: !people) is { } problem:
                        errors.Add(field, problem);
                        break;
                    case IEnumerable<string> list when people:
                        var i = 0;
                        foreach (var item in list)
                        {
                            if (TextProblem(item, DefaultMaxLength, multiLine: false) is { } itemProblem)
                            {
                                errors.Add($"{field}[{i}]", itemProblem);
                            }

                            i++;
                        }

                        break;
                    case DateOnly d when people && !IsBusinessDate(d):
                        errors.Add(field, DateMessage);
                        break;
                }
            }
        }

        return errors;
    }
}
