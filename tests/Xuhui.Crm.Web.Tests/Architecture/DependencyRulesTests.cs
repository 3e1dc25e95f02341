using System.Reflection;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Tests.Architecture;

/// <summary>
/// The house rules, read from the compiled assemblies: the domain knows no framework, Data and Shared know no feature,
/// no feature calls another feature's HTTP handlers, and the features' dependencies have no cycle.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly Assembly Web = typeof(CrmDbContext).Assembly;

    private static readonly Lazy<List<(Type From, string FromArea, Type To, string ToArea)>> Edges = new(() =>
        [.. Web.GetTypes()
            .Where(t => t.DeclaringType is null)
            .SelectMany(t => TypeDependencies.Of(t, Web).Select(to => (t, Area(t), to, Area(to))))
            .Where(e => e.Item2 != e.Item4 || e.t != e.to)]);

    /// <summary>
    /// The part of the house a type belongs to: "Features.Firms", "Data", "Shared", "Seeding" or "Root" (the
    /// composition root). Compiled Razor pages carry their path in their type name.
    /// </summary>
    internal static string Area(Type type)
    {
        var ns = type.Namespace ?? string.Empty;
        if (type == typeof(Program))
        {
            return "Root";
        }

        if (ns == "AspNetCoreGeneratedDocument")
        {
            var parts = type.Name.Split('_');
            return parts[0] switch
            {
                "Features" when parts.Length > 1 => "Features." + parts[1],
                "Shared" => "Shared",
                _ => "Root",
            };
        }

        const string web = "Xuhui.Crm.Web";
        if (!ns.StartsWith(web, StringComparison.Ordinal))
        {
            return "Other:" + ns;
        }

        var rest = ns.Length == web.Length ? string.Empty : ns[(web.Length + 1)..];
        var segments = rest.Split('.');
        return segments[0] switch
        {
            "" => "Root",
            "Features" when segments.Length > 1 => "Features." + segments[1],
            var top => top,
        };
    }

    /// <summary>
    /// A rule with its known debt: every violation found must be on the list (so a new one fails the build), and
    /// every entry on the list must still occur (so a repaired one leaves the list and cannot come back).
    /// </summary>
    private static void AssertOnlyKnown(string rule, IEnumerable<string> found, IReadOnlyCollection<string> known)
    {
        var seen = found.Distinct().Order(StringComparer.Ordinal).ToList();
        var unknown = seen.Except(known).ToList();
        var repaired = known.Except(seen).ToList();
        Assert.True(unknown.Count == 0, $"{rule}, new violations:\n" + string.Join("\n", unknown));
        Assert.True(repaired.Count == 0, $"{rule}: repaired, remove from the known list in KnownDebt.cs:\n" + string.Join("\n", repaired));
    }

    private static IEnumerable<string> Pairs(IEnumerable<(Type From, string FromArea, Type To, string ToArea)> edges) =>
        edges.Select(e => $"{e.From.FullName} → {e.To.FullName}");

    [Fact]
    public void The_domain_references_no_EF_Core_or_ASP_NET_Core()
    {
        var domain = typeof(Domain.Firms.Firm).Assembly;
        var frameworks = domain.GetReferencedAssemblies()
            .Select(a => a.Name ?? string.Empty)
            .Where(n => n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
                || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            .ToList();
        Assert.True(frameworks.Count == 0, "Xuhui.Crm.Domain references " + string.Join(", ", frameworks));
    }

    [Fact]
    public void Data_references_no_feature()
    {
        var wrong = Edges.Value.Where(e => e.FromArea == "Data" && e.ToArea.StartsWith("Features.", StringComparison.Ordinal));
        AssertOnlyKnown("Data uses feature types", Pairs(wrong), KnownDebt.DataToFeatures);
    }

    [Fact]
    public void Shared_references_no_feature_and_not_the_composition_root()
    {
        var wrong = Edges.Value.Where(e => e.FromArea == "Shared"
            && (e.ToArea.StartsWith("Features.", StringComparison.Ordinal) || e.ToArea == "Root"));
        AssertOnlyKnown("Shared uses feature or composition-root types", Pairs(wrong), KnownDebt.SharedToFeatures);
    }

    [Fact]
    public void Features_do_not_reach_up_into_the_composition_root()
    {
        var wrong = Edges.Value.Where(e => e.FromArea.StartsWith("Features.", StringComparison.Ordinal) && e.ToArea == "Root"
            && e.To != typeof(Program));
        AssertOnlyKnown("Features use composition-root types", Pairs(wrong), KnownDebt.FeaturesToRoot);
    }

    [Fact]
    public void No_feature_calls_another_features_Api_class()
    {
        var wrong = Edges.Value.Where(e => e.FromArea.StartsWith("Features.", StringComparison.Ordinal)
            && e.ToArea.StartsWith("Features.", StringComparison.Ordinal)
            && e.FromArea != e.ToArea
            && e.To.Name.EndsWith("Api", StringComparison.Ordinal));
        AssertOnlyKnown("Features call other features' HTTP handlers", Pairs(wrong), KnownDebt.ApiCalls);
    }

    [Fact]
    public void The_features_dependencies_have_no_cycle()
    {
        var features = Edges.Value
            .Where(e => e.FromArea.StartsWith("Features.", StringComparison.Ordinal) && e.ToArea.StartsWith("Features.", StringComparison.Ordinal) && e.FromArea != e.ToArea)
            .ToList();
        var graph = features.GroupBy(e => e.FromArea).ToDictionary(g => g.Key, g => g.Select(e => e.ToArea).ToHashSet());
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();
        // Feature-level arrows inside a cycle: one of them must go before the cycle is broken.
        var inCycles = features.Where(e => cycles.Any(c => c.Contains(e.FromArea) && c.Contains(e.ToArea)))
            .Select(e => $"{e.FromArea} → {e.ToArea}");
        AssertOnlyKnown("Feature folders depend on each other in a cycle", inCycles, KnownDebt.CycleArrows);
    }

    /// <summary>
    /// The scheduler and the outbox are what features register into (their jobs, their mail): they know none of them,
    /// so any feature may use them without a cycle.
    /// </summary>
    [Fact]
    public void The_scheduler_and_the_outbox_know_no_other_feature()
    {
        string[] infrastructure = ["Features.Jobs", "Features.Outbox"];
        var wrong = Pairs(Edges.Value.Where(e => infrastructure.Contains(e.FromArea)
            && e.ToArea.StartsWith("Features.", StringComparison.Ordinal) && e.ToArea != e.FromArea)).Distinct().ToList();
        Assert.True(wrong.Count == 0, "Jobs or Outbox use another feature's types:\n" + string.Join("\n", wrong));
    }

    /// <summary>Layers that only point down: the reports read the targets, operations (backups, health) know no report or reminder.</summary>
    [Theory]
    [InlineData("Features.Targets", "Features.Reports")]
    [InlineData("Features.Operations", "Features.Reports")]
    [InlineData("Features.Operations", "Features.Reminders")]
    public void A_lower_feature_does_not_reach_up(string lower, string upper)
    {
        var wrong = Pairs(Edges.Value.Where(e => e.FromArea == lower && e.ToArea == upper)).Distinct().ToList();
        Assert.True(wrong.Count == 0, $"{lower} uses {upper}:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void The_rules_see_dependencies_inside_lambdas_and_pages()
    {
        // The reader itself must find what the rules are about, or every rule above passes vacuously.
        var areas = Edges.Value.Select(e => (e.FromArea, e.ToArea)).ToHashSet();
        Assert.Contains(("Root", "Features.Firms"), areas);
        Assert.Contains(areas, a => a.FromArea == "Features.Firms" && a.ToArea == "Data");
        // A compiled page belongs to its feature and is read too (its injected catalogue is a Shared type).
        Assert.Contains(Edges.Value, e => e.From.Name.StartsWith("Features_Firms_Pages_", StringComparison.Ordinal) && e.FromArea == "Features.Firms" && e.ToArea == "Shared");
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<HashSet<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<HashSet<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }

            if (low[v] == index[v])
            {
                var component = new HashSet<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                result.Add(component);
            }
        }

        foreach (var v in graph.Keys.Concat(graph.Values.SelectMany(x => x)).Distinct().ToList())
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return result;
    }
}
