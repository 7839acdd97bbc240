using System.Text;
using System.Text.RegularExpressions;

namespace EnvoyLens.Core;

/// <summary>The area a rule belongs to; each area owns a range of rule ids.</summary>
public enum RuleCategory
{
    /// <summary>EL0xxx: the engine itself (a rule that failed internally).</summary>
    Engine,

    /// <summary>EL1xxx: references between resources (route → cluster, HCM → RDS, TLS → SDS, ...).</summary>
    References,

    /// <summary>EL2xxx: resource state and the control plane (warming, rejected updates, connectivity, server state).</summary>
    State,

    /// <summary>EL3xxx: listener, route and cluster configuration.</summary>
    Config,

    /// <summary>EL4xxx: certificates and TLS identity.</summary>
    Certificates,

    /// <summary>EL5xxx: what the stats say.</summary>
    Stats,

    /// <summary>EL6xxx: Linkerd proxies (linkerd2-proxy's <c>/metrics</c>): identity, authorization, traffic and the control plane.</summary>
    Linkerd,
}

/// <summary>The admin inputs a rule reads; a rule whose inputs were not captured is reported as not run.</summary>
[Flags]
public enum RuleInputs
{
    None = 0,
    ConfigDump = 1,
    Clusters = 2,
    Stats = 4,
    ServerInfo = 8,
    InitDump = 16,
    Certs = 32,
    Listeners = 64,

    /// <summary>The control plane's view of the proxy (a bundle's <c>control_plane.json</c>, from <c>snapshot --control-plane</c>); no admin endpoint provides it.</summary>
    ControlPlane = 128,

    /// <summary>linkerd2-proxy's <c>/metrics</c>.</summary>
    LinkerdMetrics = 256,
}

/// <summary>How people read <see cref="RuleInputs"/>: the admin path of each input (<c>/stats</c>), in a fixed order.</summary>
public static class RuleInputNames
{
    /// <summary>The name of each input set in <paramref name="inputs"/>, in declaration order.</summary>
    public static string[] Of(RuleInputs inputs) =>
        Enum.GetValues<RuleInputs>().Where(i => i != RuleInputs.None && inputs.HasFlag(i))
            .Select(i => AdminEndpoints.Providing(i)?.DisplayName ?? (i == RuleInputs.ControlPlane ? ControlPlane : i.ToString())).ToArray();

    /// <summary>How the control plane's view is named as an input.</summary>
    public const string ControlPlane = "the control plane's view (snapshot --control-plane)";
}

/// <summary>
/// What a rule is, as data: a stable id (<c>EL</c> + four digits, the first digit naming its <see cref="Category"/>),
/// title, default severity (users may override it), a message template with named arguments (<c>{cluster}</c>),
/// rationale, remediation and the inputs it reads. Written as an object initializer, one named member a line; the
/// compiler refuses a descriptor that leaves out a required member.
/// </summary>
public sealed partial record RuleDescriptor
{
    private readonly string id = "";
    private readonly RuleCategory? category;

    /// <summary>The stable id, <c>EL</c> + four digits; its first digit must be the <see cref="Category"/>'s.</summary>
    public required string Id
    {
        get => id;
        init
        {
            if (!IdPattern().IsMatch(value))
            {
                throw new ArgumentException($"Rule id '{value}' must be EL followed by four digits.", nameof(Id));
            }

            id = value;
            CheckRange();
        }
    }

    public required string Title { get; init; }

    public required RuleCategory Category
    {
        get => category ?? RuleCategory.Engine;
        init
        {
            category = value;
            CheckRange();
        }
    }

    public required Severity DefaultSeverity { get; init; }

    /// <summary>A message with <c>{name}</c> placeholders, each filled from a finding's arguments.</summary>
    public required string MessageTemplate { get; init; }

    public required string Rationale { get; init; }

    public required string Remediation { get; init; }

    /// <summary>The inputs the rule needs (<see cref="RuleInputs.None"/> for none); without one of them the rule is not run.</summary>
    public required RuleInputs Inputs { get; init; }

    public bool EnabledByDefault { get; init; } = true;

    /// <summary>
    /// Inputs the rule also reads when they were captured, without which it still runs (<c>/clusters</c> hosts beside
    /// EDS, say). Not part of <see cref="Inputs"/>, so their absence never makes a rule not run.
    /// </summary>
    public RuleInputs OptionalInputs { get; init; }

    /// <summary>An example of what the rule reports (the message its fail fixture produces), for docs and <c>envoylens rules ID</c>; optional.</summary>
    public string? Example { get; init; }

    /// <summary>The names of the template's placeholders, in order of first appearance.</summary>
    public IReadOnlyList<string> ArgumentNames =>
        PlaceholderPattern().Matches(MessageTemplate).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>True when <paramref name="id"/> has the shape of a rule id.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>Fills the template. A placeholder without an argument is a bug in the rule and throws.</summary>
    public string Render(IReadOnlyDictionary<string, string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var sb = new StringBuilder(MessageTemplate.Length + 64);
        var last = 0;
        foreach (Match m in PlaceholderPattern().Matches(MessageTemplate))
        {
            var name = m.Groups[1].Value;
            if (!arguments.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"Rule {Id} produced a finding without the argument '{name}' its message needs.");
            }

            sb.Append(MessageTemplate, last, m.Index - last).Append(value);
            last = m.Index + m.Length;
        }

        return sb.Append(MessageTemplate, last, MessageTemplate.Length - last).ToString();
    }

    /// <summary>Once both the id and the category are set (in either order), the id must lie in the category's range.</summary>
    private void CheckRange()
    {
        if (id.Length > 0 && category is { } c && id[2] - '0' != (int)c)
        {
            throw new ArgumentException($"Rule id '{id}' is outside the EL{(int)c}xxx range of category {c}.", nameof(Id));
        }
    }

    [GeneratedRegex("^EL[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}
