using EnvoyLens.Core;

namespace EnvoyLens.Rules.Engine;

/// <summary>A named, explicit list of rules (the built-in rules, the certificate rules), ordered by id.</summary>
public sealed record RulePack
{
    public RulePack(string name, IReadOnlyList<IRule> rules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rules);
        var ids = rules.Select(r => r.Descriptor.Id).ToList();
        if (!ids.SequenceEqual(ids.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new ArgumentException($"The rules of pack {name} must be listed by id.", nameof(rules));
        }

        Name = name;
        Rules = rules;
    }

    public string Name { get; }

    public IReadOnlyList<IRule> Rules { get; }
}

/// <summary>
/// The rules users can run and read about, composed of explicit <see cref="RulePack"/>s. Nothing is found by
/// reflection, so a trimmed or Native AOT build runs exactly the rules a JIT build runs. <c>envoylens analyze</c>,
/// <c>envoylens rules</c>, the SARIF <c>rules[]</c> and the generated RULES.md all read one catalog; rule ids are unique
/// across its packs.
/// </summary>
public sealed class RuleCatalog
{
    private readonly Dictionary<string, string> _packOf = new(StringComparer.Ordinal);

    public RuleCatalog(IEnumerable<RulePack> packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        Packs = packs.ToList();
        foreach (var pack in Packs)
        {
            foreach (var rule in pack.Rules)
            {
                if (!_packOf.TryAdd(rule.Descriptor.Id, pack.Name))
                {
                    throw new ArgumentException($"Rule id {rule.Descriptor.Id} is used by more than one rule.", nameof(packs));
                }
            }
        }

        Rules = Packs.SelectMany(p => p.Rules).OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToList();
        Descriptors = [InternalErrorRule.Descriptor, .. Rules.Select(r => r.Descriptor)];
    }

    public IReadOnlyList<RulePack> Packs { get; }

    /// <summary>Every rule of every pack, by id.</summary>
    public IReadOnlyList<IRule> Rules { get; }

    /// <summary>Every descriptor users can see: the engine's internal-error descriptor, then every rule's, by id.</summary>
    public IReadOnlyList<RuleDescriptor> Descriptors { get; }

    /// <summary>A runner over every rule of the catalog.</summary>
    public RuleRunner Runner() => new(Rules);

    /// <summary>The descriptor of a rule id (any case, surrounding blanks ignored), or null.</summary>
    public RuleDescriptor? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Descriptors.FirstOrDefault(d => string.Equals(d.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The name of the pack a rule comes from (for docs), or null for the engine's own descriptor.</summary>
    public string? PackOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _packOf.GetValueOrDefault(id);
    }
}
