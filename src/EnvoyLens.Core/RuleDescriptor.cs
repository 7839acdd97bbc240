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
}

/// <summary>How people read <see cref="RuleInputs"/>: the admin path of each input (<c>/stats</c>), in a fixed order.</summary>
public static class RuleInputNames
{
    /// <summary>The name of each input set in <paramref name="inputs"/>, in declaration order.</summary>
    public static string[] Of(RuleInputs inputs) =>
        Enum.GetValues<RuleInputs>().Where(i => i != RuleInputs.None && inputs.HasFlag(i)).Select(i => i switch
        {
            RuleInputs.ConfigDump => "a config dump",
            RuleInputs.Clusters => "/clusters",
            RuleInputs.Stats => "/stats",
            RuleInputs.ServerInfo => "/server_info",
            RuleInputs.InitDump => "/init_dump",
            RuleInputs.Certs => "/certs",
            RuleInputs.Listeners => "/listeners",
            _ => i.ToString(),
        }).ToArray();
}

/// <summary>
/// What a rule is, as data: a stable id (<c>EL</c> + four digits, the first digit naming its <see cref="Category"/>),
/// title, default severity (users may override it), a message template with named arguments (<c>{cluster}</c>),
/// rationale, remediation and the inputs it reads.
/// </summary>
public sealed partial record RuleDescriptor
{
    public RuleDescriptor(
        string id,
        string title,
        RuleCategory category,
        Severity defaultSeverity,
        string messageTemplate,
        string rationale,
        string remediation,
        RuleInputs inputs,
        bool enabledByDefault = true)
    {
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"Rule id '{id}' must be EL followed by four digits.", nameof(id));
        }

        if (id[2] - '0' != (int)category)
        {
            throw new ArgumentException($"Rule id '{id}' is outside the EL{(int)category}xxx range of category {category}.", nameof(id));
        }

        Id = id;
        Title = title;
        Category = category;
        DefaultSeverity = defaultSeverity;
        MessageTemplate = messageTemplate;
        Rationale = rationale;
        Remediation = remediation;
        Inputs = inputs;
        EnabledByDefault = enabledByDefault;
    }

    public string Id { get; }

    public string Title { get; }

    public RuleCategory Category { get; }

    public Severity DefaultSeverity { get; }

    /// <summary>A message with <c>{name}</c> placeholders, each filled from a finding's arguments.</summary>
    public string MessageTemplate { get; }

    public string Rationale { get; }

    public string Remediation { get; }

    public RuleInputs Inputs { get; }

    public bool EnabledByDefault { get; }

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

    [GeneratedRegex("^EL[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}
