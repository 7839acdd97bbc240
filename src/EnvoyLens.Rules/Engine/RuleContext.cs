using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Rules.Engine;

/// <summary>What a rule sees: the decoded snapshot, which admin inputs were captured, and the clock.</summary>
public sealed class RuleContext
{
    public RuleContext(EnvoySnapshot snapshot, TimeProvider clock, RuleInputs? available = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(clock);
        Snapshot = snapshot;
        Clock = clock;
        Available = available ?? Infer(snapshot);
    }

    public EnvoySnapshot Snapshot { get; }

    /// <summary>The instant rules judge time by (warming for how long, certificate expiry, ...).</summary>
    public TimeProvider Clock { get; }

    /// <summary>The admin inputs that were captured and decoded.</summary>
    public RuleInputs Available { get; }

    /// <summary>The name of the config dump document, which finding pointers point into.</summary>
    public string? ConfigSource => Snapshot.ConfigDump?.Source;

    public bool Has(RuleInputs inputs) => (Available & inputs) == inputs;

    /// <summary>
    /// The inputs a snapshot holds, judged from the documents of <paramref name="raw"/> that decoded. Prefer this to
    /// <see cref="Infer"/>: an empty <c>/init_dump</c> is still a captured one.
    /// </summary>
    public static RuleInputs InputsOf(RawSnapshot raw, EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(snapshot);
        var decoded = snapshot.Sources.ToHashSet(StringComparer.Ordinal);
        var inputs = RuleInputs.None;
        foreach (var document in raw.Documents.Where(d => decoded.Contains(d.Source)))
        {
            inputs |= document.Endpoint switch
            {
                AdminEndpoint.ConfigDump => RuleInputs.ConfigDump,
                AdminEndpoint.Clusters => RuleInputs.Clusters,
                AdminEndpoint.Stats or AdminEndpoint.StatsPrometheus => RuleInputs.Stats,
                AdminEndpoint.ServerInfo => RuleInputs.ServerInfo,
                AdminEndpoint.InitDump => RuleInputs.InitDump,
                AdminEndpoint.Certs => RuleInputs.Certs,
                AdminEndpoint.Listeners => RuleInputs.Listeners,
                _ => RuleInputs.None,
            };
        }

        return inputs | Infer(snapshot);
    }

    /// <summary>The inputs visible in the decoded snapshot alone (an empty <c>/init_dump</c> cannot be told from a missing one).</summary>
    public static RuleInputs Infer(EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var inputs = RuleInputs.None;
        if (snapshot.ConfigDump is not null)
        {
            inputs |= RuleInputs.ConfigDump;
        }

        if (snapshot.Stats is not null)
        {
            inputs |= RuleInputs.Stats;
        }

        if (snapshot.ServerInfo is not null)
        {
            inputs |= RuleInputs.ServerInfo;
        }

        if (snapshot.ClusterStatuses.Count > 0)
        {
            inputs |= RuleInputs.Clusters;
        }

        if (snapshot.InitTargets.Count > 0)
        {
            inputs |= RuleInputs.InitDump;
        }

        if (snapshot.AdminCertificates.Count > 0)
        {
            inputs |= RuleInputs.Certs;
        }

        if (snapshot.ListenerStatuses.Count > 0)
        {
            inputs |= RuleInputs.Listeners;
        }

        return inputs;
    }

    /// <summary>
    /// A finding of <paramref name="descriptor"/> at <paramref name="resource"/> / <paramref name="pointer"/>, its message
    /// rendered from <paramref name="arguments"/>. <paramref name="source"/> defaults to the config dump.
    /// </summary>
    public Finding Report(
        RuleDescriptor descriptor,
        ResourceRef? resource,
        JsonPointer pointer,
        IReadOnlyDictionary<string, string> arguments,
        IReadOnlyDictionary<string, string>? evidence = null,
        string? source = null)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new Finding(descriptor.Id, descriptor.DefaultSeverity, resource, pointer, descriptor.Render(arguments), descriptor.Remediation, arguments, evidence ?? Args.None)
        {
            Source = source ?? ConfigSource,
        };
    }
}

/// <summary>Builds argument and evidence dictionaries: <c>Args.Of(("cluster", name), ("route", route))</c>.</summary>
public static class Args
{
    public static IReadOnlyDictionary<string, string> None { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Of(params (string Name, string Value)[] values)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            map[name] = value;
        }

        return map;
    }
}
