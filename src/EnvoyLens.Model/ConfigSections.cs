namespace EnvoyLens.Model;

/// <summary>The sections of a config dump, one per xDS resource type (and the bootstrap).</summary>
public enum ConfigSection
{
    Bootstrap,
    Listeners,
    Clusters,
    Routes,
    ScopedRoutes,
    Secrets,
    Endpoints,
    Ecds,
}

/// <summary>How a section is named in a dump: the admin message type its <c>@type</c> ends with.</summary>
public static class ConfigSections
{
    /// <summary>
    /// <c>RoutesConfigDump</c> for <see cref="ConfigSection.Routes"/>, and so on. A type URL is matched by its end, so
    /// <c>ScopedRoutesConfigDump</c> counts as a routes section too, as it always has.
    /// </summary>
    public static string TypeNameOf(ConfigSection section) => section switch
    {
        ConfigSection.Bootstrap => "BootstrapConfigDump",
        ConfigSection.Listeners => "ListenersConfigDump",
        ConfigSection.Clusters => "ClustersConfigDump",
        ConfigSection.Routes => "RoutesConfigDump",
        ConfigSection.ScopedRoutes => "ScopedRoutesConfigDump",
        ConfigSection.Secrets => "SecretsConfigDump",
        ConfigSection.Endpoints => "EndpointsConfigDump",
        ConfigSection.Ecds => "EcdsConfigDump",
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, "unknown config dump section"),
    };
}
