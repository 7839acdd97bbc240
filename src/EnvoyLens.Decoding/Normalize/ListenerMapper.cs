using EnvoyLens.Core;
using EnvoyLens.Model;
using HcmV3 = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using HttpRbacV3 = Envoy.Extensions.Filters.Http.Rbac.V3;
using NetworkRbacV3 = Envoy.Extensions.Filters.Network.Rbac.V3;
using JwtV3 = Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using ExtAuthzV3 = Envoy.Extensions.Filters.Http.ExtAuthz.V3;
using ListenerV3 = Envoy.Config.Listener.V3;
using TcpV3 = Envoy.Extensions.Filters.Network.TcpProxy.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>Listener → <see cref="Listener"/>: addresses, listener filters, filter chains with HCM / TCP proxy decoded.</summary>
internal sealed class ListenerMapper(NormalizeContext context, TlsMapper tls, RouteMapper routes, RbacMapper rbacMapper)
{
    public Listener Map(ListenerV3.Listener listener, ResourceMeta meta)
    {
        var at = meta.Pointer;
        var additional = listener.AdditionalAddresses
            .Select(a => ProtoValues.ToSocketAddress(a.Address))
            .OfType<SocketAddress>()
            .ToArray();

        var listenerFilters = new List<TypedExtension>(listener.ListenerFilters.Count);
        for (var i = 0; i < listener.ListenerFilters.Count; i++)
        {
            var filter = listener.ListenerFilters[i];
            listenerFilters.Add(context.Extension(filter.Name, filter.TypedConfig, context.At(filter, at.Append("listener_filters").Append(i))));
        }

        var chains = new List<FilterChain>(listener.FilterChains.Count);
        for (var i = 0; i < listener.FilterChains.Count; i++)
        {
            chains.Add(MapChain(listener.FilterChains[i], at.Append("filter_chains").Append(i), meta, isDefault: false));
        }

        var defaultChain = listener.DefaultFilterChain is null
            ? null
            : MapChain(listener.DefaultFilterChain, at.Append("default_filter_chain"), meta, isDefault: true);

        var direction = listener.TrafficDirection == Envoy.Config.Core.V3.TrafficDirection.Unspecified
            ? null
            : ProtoValues.EnumName(listener.TrafficDirection);

        return new Listener(
            meta,
            ProtoValues.ToSocketAddress(listener.Address),
            additional,
            direction,
            listener.UseOriginalDst ?? false,
            listener.BindToPort,
            listenerFilters,
            chains,
            defaultChain,
            ProtoValues.ToMetadata(listener.Metadata))
        {
            FilterChainMatcher = listener.FilterChainMatcher is { } matcher
                ? new ChainMatcherMapper(context).Map(matcher, context.At(matcher, at.Append("filter_chain_matcher")))
                : null,
        };
    }

    private FilterChain MapChain(ListenerV3.FilterChain chain, JsonPointer structural, ResourceMeta listener, bool isDefault)
    {
        var at = context.At(chain, structural);
        var filters = new List<NetworkFilter>(chain.Filters.Count);
        for (var i = 0; i < chain.Filters.Count; i++)
        {
            filters.Add(MapFilter(chain.Filters[i], at.Append("filters").Append(i), listener));
        }

        var (socket, downstream) = tls.TransportSocket(chain.TransportSocket, at.Append("transport_socket"));
        return new FilterChain(ProtoValues.NullIfEmpty(chain.Name), MapMatch(chain.FilterChainMatch), filters, downstream, socket, at, isDefault);
    }

    private static FilterChainMatch MapMatch(ListenerV3.FilterChainMatch? match)
    {
        if (match is null)
        {
            return FilterChainMatch.Any;
        }

        var sourceType = match.SourceType == ListenerV3.FilterChainMatch.Types.ConnectionSourceType.Any
            ? null
            : ProtoValues.EnumName(match.SourceType);
        return new FilterChainMatch(
            match.DestinationPort is { } port ? (int)port : null,
            match.PrefixRanges.Select(ProtoValues.ToCidr).ToArray(),
            match.ServerNames.ToArray(),
            ProtoValues.NullIfEmpty(match.TransportProtocol),
            match.ApplicationProtocols.ToArray(),
            match.SourcePrefixRanges.Select(ProtoValues.ToCidr).ToArray(),
            match.DirectSourcePrefixRanges.Select(ProtoValues.ToCidr).ToArray(),
            match.SourcePorts.Select(p => (int)p).ToArray(),
            sourceType);
    }

    private NetworkFilter MapFilter(ListenerV3.Filter filter, JsonPointer structural, ResourceMeta listener)
    {
        var at = context.At(filter, structural);
        var extension = context.Extension(filter.Name, filter.TypedConfig, at);
        var configAt = at.Append("typed_config");
        var config = filter.TypedConfig;
        if (config is null)
        {
            return new NetworkFilter(extension, null, null);
        }

        if (config.Is(HcmV3.HttpConnectionManager.Descriptor) && context.Unpack<HcmV3.HttpConnectionManager>(config, configAt) is { } hcm)
        {
            return new NetworkFilter(extension, MapHcm(hcm, context.At(hcm, configAt), listener), null);
        }

        if (config.Is(TcpV3.TcpProxy.Descriptor) && context.Unpack<TcpV3.TcpProxy>(config, configAt) is { } tcp)
        {
            return new NetworkFilter(extension, null, MapTcpProxy(tcp, context.At(tcp, configAt)));
        }

        if (config.Is(NetworkRbacV3.RBAC.Descriptor) && context.Unpack<NetworkRbacV3.RBAC>(config, configAt) is { } rbac)
        {
            var rbacAt = context.At(rbac, configAt);
            return new NetworkFilter(extension, null, null) { Rbac = rbacMapper.Map(rbac.Rules, rbac.ShadowRules, rbacAt) };
        }

        return new NetworkFilter(extension, null, null);
    }

    private static JwtAuthn MapJwt(JwtV3.JwtAuthentication config, JsonPointer at)
    {
        var providers = config.Providers
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new JwtProvider(p.Key, ProtoValues.NullIfEmpty(p.Value.Issuer), p.Value.Audiences.ToArray(), at.Append("providers").Append(p.Key))
            {
                FromHeaders = p.Value.FromHeaders.Select(h => h.Name.ToLowerInvariant()).ToArray(),
                FromParams = p.Value.FromParams.ToArray(),
            })
            .ToArray();
        var rules = new List<JwtRule>(config.Rules.Count);
        for (var i = 0; i < config.Rules.Count; i++)
        {
            var rule = config.Rules[i];
            var requires = rule.RequirementTypeCase switch
            {
                JwtV3.RequirementRule.RequirementTypeOneofCase.Requires => MapRequirement(rule.Requires),
                JwtV3.RequirementRule.RequirementTypeOneofCase.RequirementName when config.RequirementMap.TryGetValue(rule.RequirementName, out var named) => MapRequirement(named),
                JwtV3.RequirementRule.RequirementTypeOneofCase.RequirementName => new JwtRequirement("other", rule.RequirementName, []),
                _ => null,
            };
            rules.Add(new JwtRule(RouteMapper.MapMatch(rule.Match), requires, at.Append("rules").Append(i)));
        }

        return new JwtAuthn(providers, rules, at)
        {
            RequirementMap = config.RequirementMap.ToDictionary(p => p.Key, p => MapRequirement(p.Value), StringComparer.Ordinal),
        };
    }

    private static JwtRequirement MapRequirement(JwtV3.JwtRequirement requirement) => requirement.RequiresTypeCase switch
    {
        JwtV3.JwtRequirement.RequiresTypeOneofCase.ProviderName => new JwtRequirement("provider", requirement.ProviderName, []),
        JwtV3.JwtRequirement.RequiresTypeOneofCase.ProviderAndAudiences => new JwtRequirement("provider", requirement.ProviderAndAudiences.ProviderName, []),
        JwtV3.JwtRequirement.RequiresTypeOneofCase.RequiresAny => new JwtRequirement("requires_any", null, requirement.RequiresAny.Requirements.Select(MapRequirement).ToArray()),
        JwtV3.JwtRequirement.RequiresTypeOneofCase.RequiresAll => new JwtRequirement("requires_all", null, requirement.RequiresAll.Requirements.Select(MapRequirement).ToArray()),
        JwtV3.JwtRequirement.RequiresTypeOneofCase.AllowMissing => new JwtRequirement("allow_missing", null, []),
        JwtV3.JwtRequirement.RequiresTypeOneofCase.AllowMissingOrFailed => new JwtRequirement("allow_missing_or_failed", null, []),
        _ => new JwtRequirement("other", null, []),
    };

    private static ExtAuthz MapExtAuthz(ExtAuthzV3.ExtAuthz config, JsonPointer at) => config.ServicesCase switch
    {
        ExtAuthzV3.ExtAuthz.ServicesOneofCase.HttpService => new ExtAuthz("http", ProtoValues.NullIfEmpty(config.HttpService.ServerUri?.Cluster), ProtoValues.NullIfEmpty(config.HttpService.ServerUri?.Uri), config.FailureModeAllow, at),
        ExtAuthzV3.ExtAuthz.ServicesOneofCase.GrpcService => new ExtAuthz("grpc", ProtoValues.NullIfEmpty(config.GrpcService.EnvoyGrpc?.ClusterName), ProtoValues.NullIfEmpty(config.GrpcService.GoogleGrpc?.TargetUri), config.FailureModeAllow, at),
        _ => new ExtAuthz("grpc", null, null, config.FailureModeAllow, at),
    };

    private HttpConnectionManager MapHcm(HcmV3.HttpConnectionManager hcm, JsonPointer at, ResourceMeta listener)
    {
        string? rdsName = null;
        string? scopedName = null;
        RouteConfig? inline = null;
        switch (hcm.RouteSpecifierCase)
        {
            case HcmV3.HttpConnectionManager.RouteSpecifierOneofCase.Rds:
                rdsName = hcm.Rds.RouteConfigName;
                break;
            case HcmV3.HttpConnectionManager.RouteSpecifierOneofCase.ScopedRoutes:
                scopedName = ProtoValues.NullIfEmpty(hcm.ScopedRoutes.Name);
                break;
            case HcmV3.HttpConnectionManager.RouteSpecifierOneofCase.RouteConfig:
                var config = hcm.RouteConfig;
                var configAt = context.At(config, at.Append("route_config"));
                var meta = new ResourceMeta(ResourceKind.RouteConfig, config.Name, ResourceOrigin.Static, listener.State, null, null, configAt);
                inline = routes.Map(config, meta);
                break;
        }

        var filters = new List<HttpFilter>(hcm.HttpFilters.Count);
        for (var i = 0; i < hcm.HttpFilters.Count; i++)
        {
            var filter = hcm.HttpFilters[i];
            var filterAt = context.At(filter, at.Append("http_filters").Append(i));
            IReadOnlyList<string> ecds = filter.ConfigTypeCase == HcmV3.HttpFilter.ConfigTypeOneofCase.ConfigDiscovery ? [filter.Name] : [];
            IReadOnlyList<RbacConfig> rbac = [];
            var typedAt = filterAt.Append("typed_config");
            if (filter.TypedConfig is { } typed && typed.Is(HttpRbacV3.RBAC.Descriptor) && context.Unpack<HttpRbacV3.RBAC>(typed, typedAt) is { } httpRbac)
            {
                rbac = rbacMapper.Map(httpRbac.Rules, httpRbac.ShadowRules, context.At(httpRbac, typedAt));
            }

            JwtAuthn? jwt = null;
            if (filter.TypedConfig is { } jwtTyped && jwtTyped.Is(JwtV3.JwtAuthentication.Descriptor) && context.Unpack<JwtV3.JwtAuthentication>(jwtTyped, typedAt) is { } jwtConfig)
            {
                jwt = MapJwt(jwtConfig, context.At(jwtConfig, typedAt));
            }

            ExtAuthz? extAuthz = null;
            if (filter.TypedConfig is { } authzTyped && authzTyped.Is(ExtAuthzV3.ExtAuthz.Descriptor) && context.Unpack<ExtAuthzV3.ExtAuthz>(authzTyped, typedAt) is { } authz)
            {
                extAuthz = MapExtAuthz(authz, context.At(authz, typedAt));
            }

            filters.Add(new HttpFilter(context.Extension(filter.Name, filter.TypedConfig, filterAt), ecds, filter.Disabled, filter.IsOptional) { Rbac = rbac, JwtAuthn = jwt, ExtAuthz = extAuthz });
        }

        return new HttpConnectionManager(ProtoValues.NullIfEmpty(hcm.StatPrefix), rdsName, inline, scopedName, filters, at)
        {
            StripAnyHostPort = hcm.StripPortModeCase == HcmV3.HttpConnectionManager.StripPortModeOneofCase.StripAnyHostPort && hcm.StripAnyHostPort,
        };
    }

    private static TcpProxy MapTcpProxy(TcpV3.TcpProxy tcp, JsonPointer at)
    {
        string? cluster = null;
        IReadOnlyList<WeightedCluster> weighted = [];
        switch (tcp.ClusterSpecifierCase)
        {
            case TcpV3.TcpProxy.ClusterSpecifierOneofCase.Cluster:
                cluster = tcp.Cluster;
                break;
            case TcpV3.TcpProxy.ClusterSpecifierOneofCase.WeightedClusters:
                weighted = tcp.WeightedClusters.Clusters.Select(c => new WeightedCluster(c.Name, c.Weight)).ToArray();
                break;
        }

        return new TcpProxy(ProtoValues.NullIfEmpty(tcp.StatPrefix), cluster, weighted, at);
    }
}
