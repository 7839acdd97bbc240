using EnvoyLens.Certs.Rules;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Cli.Services;

/// <summary>A named set of rules the CLI runs (the built-in rules, the certificate rules, ...).</summary>
internal sealed record RulePack(string Name, IReadOnlyList<IRule> Rules);

/// <summary>
/// The one place the CLI composes its rule catalog from packs. <c>envoylens analyze</c>, <c>envoylens rules</c>, the
/// SARIF <c>rules[]</c> and the generated RULES.md all read it, so a new pack is one line in <see cref="All"/>
/// (e.g. <c>new("certificates", CertificateRules.All)</c> for the EL4xxx rules). Rule ids must be unique across packs.
/// </summary>
internal static class RulePacks
{
    public static IReadOnlyList<RulePack> All { get; } =
    [
        new("built-in", RuleCatalog.BuiltIn),
        new("certificates", CertificateRules.All),
    ];

    /// <summary>Every rule of every pack, by id.</summary>
    public static IReadOnlyList<IRule> Rules { get; } =
        All.SelectMany(p => p.Rules).OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToList();

    /// <summary>Every descriptor users can see: the engine's internal-error descriptor, then every rule's, by id.</summary>
    public static IReadOnlyList<RuleDescriptor> Descriptors { get; } =
        [InternalErrorRule.Descriptor, .. Rules.Select(r => r.Descriptor)];

    public static RuleRunner Runner() => new(Rules);

    public static RuleDescriptor? Find(string id) =>
        Descriptors.FirstOrDefault(d => string.Equals(d.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The pack a rule comes from (for docs), or null for the engine's own descriptor.</summary>
    public static string? PackOf(string id) =>
        All.FirstOrDefault(p => p.Rules.Any(r => string.Equals(r.Descriptor.Id, id, StringComparison.Ordinal)))?.Name;
}
