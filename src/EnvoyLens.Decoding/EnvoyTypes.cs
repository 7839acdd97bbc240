using System.Text.RegularExpressions;

namespace EnvoyLens.Decoding;

/// <summary>
/// Envoy-specific knowledge about type names: how legacy (v2 / v2alpha) message names map to their v3
/// equivalents. Used by the type resolver so old dumps decode what maps to v3 and keep the rest raw.
/// </summary>
public static partial class EnvoyTypes
{
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["envoy.api.v2.Cluster"] = "envoy.config.cluster.v3.Cluster",
        ["envoy.api.v2.Listener"] = "envoy.config.listener.v3.Listener",
        ["envoy.api.v2.RouteConfiguration"] = "envoy.config.route.v3.RouteConfiguration",
        ["envoy.api.v2.ScopedRouteConfiguration"] = "envoy.config.route.v3.ScopedRouteConfiguration",
        ["envoy.api.v2.ClusterLoadAssignment"] = "envoy.config.endpoint.v3.ClusterLoadAssignment",
        ["envoy.api.v2.auth.Secret"] = "envoy.extensions.transport_sockets.tls.v3.Secret",
        ["envoy.api.v2.auth.UpstreamTlsContext"] = "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
        ["envoy.api.v2.auth.DownstreamTlsContext"] = "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
        ["envoy.config.bootstrap.v2.Bootstrap"] = "envoy.config.bootstrap.v3.Bootstrap",
        ["envoy.config.cluster.aggregate.v2alpha.ClusterConfig"] = "envoy.extensions.clusters.aggregate.v3.ClusterConfig",
        ["envoy.config.accesslog.v2.FileAccessLog"] = "envoy.extensions.access_loggers.file.v3.FileAccessLog",
        ["envoy.config.transport_socket.tap.v2alpha.Tap"] = "envoy.extensions.transport_sockets.tap.v3.Tap",
    };

    /// <summary>
    /// The v3 full name for a legacy full name, or null when <paramref name="fullName"/> is not a legacy name
    /// EnvoyLens maps (the resolver then tries the name as is).
    /// </summary>
    public static string? V3NameFor(string fullName)
    {
        if (Renames.TryGetValue(fullName, out var renamed))
        {
            return renamed;
        }

        if (fullName.StartsWith("envoy.admin.v2alpha.", StringComparison.Ordinal))
        {
            return "envoy.admin.v3." + fullName["envoy.admin.v2alpha.".Length..];
        }

        var filter = LegacyFilter().Match(fullName);
        if (filter.Success)
        {
            return $"envoy.extensions.filters.{filter.Groups["kind"].Value}.{filter.Groups["name"].Value}.v3.{filter.Groups["msg"].Value}";
        }

        var api = LegacyApi().Match(fullName);
        if (api.Success)
        {
            return $"envoy.config.{api.Groups["pkg"].Value}.v3.{api.Groups["msg"].Value}";
        }

        return null;
    }

    [GeneratedRegex(@"^envoy\.config\.filter\.(?<kind>network|http|listener|udp)\.(?<name>[a-z0-9_]+)\.v2(alpha\d*)?\.(?<msg>[A-Za-z0-9_.]+)$")]
    private static partial Regex LegacyFilter();

    [GeneratedRegex(@"^envoy\.api\.v2\.(?<pkg>core|route|listener|cluster|endpoint)\.(?<msg>[A-Za-z0-9_.]+)$")]
    private static partial Regex LegacyApi();
}
