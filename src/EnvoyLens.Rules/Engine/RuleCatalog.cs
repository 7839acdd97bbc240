using EnvoyLens.Core;

namespace EnvoyLens.Rules.Engine;

/// <summary>The built-in rules, found by reflection over this assembly and ordered by id.</summary>
public static class RuleCatalog
{
    private static readonly Lazy<IReadOnlyList<IRule>> Rules = new(Load);

    public static IReadOnlyList<IRule> BuiltIn => Rules.Value;

    /// <summary>Every descriptor users can see: the built-in rules plus the engine's own internal-error descriptor.</summary>
    public static IReadOnlyList<RuleDescriptor> Descriptors =>
        [InternalErrorRule.Descriptor, .. BuiltIn.Select(r => r.Descriptor)];

    public static RuleDescriptor? Find(string id) =>
        Descriptors.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<IRule> Load() =>
        typeof(RuleCatalog).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRule).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IRule)Activator.CreateInstance(t)!)
            .OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal)
            .ToList();
}
