using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using BootstrapV3 = Envoy.Config.Bootstrap.V3;
using CoreV3 = Envoy.Config.Core.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>Bootstrap → <see cref="BootstrapInfo"/> (node identity, admin, static counts, ADS source, stats sinks).</summary>
internal sealed class BootstrapMapper(NormalizeContext context)
{
    public BootstrapInfo Map(BootstrapV3.Bootstrap bootstrap, DateTimeOffset? lastUpdated, JsonPointer at)
    {
        var ads = bootstrap.DynamicResources?.AdsConfig;
        var adsClusters = new List<string>();
        if (ads is not null)
        {
            foreach (var service in ads.GrpcServices)
            {
                if (service.TargetSpecifierCase == CoreV3.GrpcService.TargetSpecifierOneofCase.EnvoyGrpc && !string.IsNullOrEmpty(service.EnvoyGrpc.ClusterName))
                {
                    adsClusters.Add(service.EnvoyGrpc.ClusterName);
                }
            }

            adsClusters.AddRange(ads.ClusterNames.Where(n => !string.IsNullOrEmpty(n)));
        }

        var sinks = new List<TypedExtension>(bootstrap.StatsSinks.Count);
        for (var i = 0; i < bootstrap.StatsSinks.Count; i++)
        {
            var sink = bootstrap.StatsSinks[i];
            sinks.Add(context.Extension(sink.Name, sink.TypedConfig, context.At(sink, at.Append("stats_sinks").Append(i))));
        }

        var statics = bootstrap.StaticResources;
        return new BootstrapInfo(
            MapNode(bootstrap.Node),
            ProtoValues.ToSocketAddress(bootstrap.Admin?.Address),
            statics?.Listeners.Count ?? 0,
            statics?.Clusters.Count ?? 0,
            statics?.Secrets.Count ?? 0,
            ads is null ? null : ProtoValues.EnumName(ads.ApiType),
            adsClusters,
            sinks,
            lastUpdated,
            at);
    }

    private static NodeInfo? MapNode(CoreV3.Node? node)
    {
        if (node is null)
        {
            return null;
        }

        var version = node.UserAgentVersionTypeCase switch
        {
            CoreV3.Node.UserAgentVersionTypeOneofCase.UserAgentVersion => ProtoValues.NullIfEmpty(node.UserAgentVersion),
            CoreV3.Node.UserAgentVersionTypeOneofCase.UserAgentBuildVersion when node.UserAgentBuildVersion.Version is { } v =>
                string.Create(CultureInfo.InvariantCulture, $"{v.MajorNumber}.{v.MinorNumber}.{v.Patch}"),
            _ => null,
        };
        var locality = node.Locality is { } l
            ? new Locality(ProtoValues.NullIfEmpty(l.Region), ProtoValues.NullIfEmpty(l.Zone), ProtoValues.NullIfEmpty(l.SubZone))
            : null;
        return new NodeInfo(
            ProtoValues.NullIfEmpty(node.Id),
            ProtoValues.NullIfEmpty(node.Cluster),
            ProtoValues.NullIfEmpty(node.UserAgentName),
            version,
            locality,
            ProtoValues.ToJsonFields(node.Metadata))
        {
            BuildVersion = node.UserAgentVersionTypeCase == CoreV3.Node.UserAgentVersionTypeOneofCase.UserAgentBuildVersion
                ? BuildVersionText(node.UserAgentBuildVersion)
                : null,
        };
    }

    /// <summary>istioctl's form of a build version: <c>1.18.3/Clean/RELEASE/BoringSSL</c> (label, status, type, SSL from its metadata).</summary>
    private static string BuildVersionText(CoreV3.BuildVersion build)
    {
        var v = build.Version;
        var text = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{v?.MajorNumber ?? 0}.{v?.MinorNumber ?? 0}.{v?.Patch ?? 0}"));
        var fields = build.Metadata?.Fields;
        void Append(string separator, string key)
        {
            if (fields is not null && fields.TryGetValue(key, out var value))
            {
                text.Append(separator).Append(value.StringValue);
            }
        }

        Append("-", "build.label");
        Append("/", "revision.status");
        Append("/", "build.type");
        Append("/", "ssl.version");
        return text.ToString();
    }
}
