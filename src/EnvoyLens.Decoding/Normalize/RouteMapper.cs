using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using RouteV3 = Envoy.Config.Route.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>RouteConfiguration → <see cref="RouteConfig"/> with its virtual hosts and routes.</summary>
internal sealed class RouteMapper(NormalizeContext context, RbacMapper rbac)
{
    public RouteConfig Map(RouteV3.RouteConfiguration config, ResourceMeta meta)
    {
        var at = meta.Pointer;
        var hosts = new List<VirtualHost>(config.VirtualHosts.Count);
        for (var i = 0; i < config.VirtualHosts.Count; i++)
        {
            hosts.Add(MapVirtualHost(config.VirtualHosts[i], context.At(config.VirtualHosts[i], at, "virtual_hosts", i)));
        }

        return new RouteConfig(meta, hosts, config.ValidateClusters)
        {
            IgnorePortInHostMatching = config.IgnorePortInHostMatching,
            PerFilterConfigs = PerFilter(config.TypedPerFilterConfig, at),
        };
    }

    private VirtualHost MapVirtualHost(RouteV3.VirtualHost host, JsonPointer at)
    {
        var routes = new List<Route>(host.Routes.Count);
        for (var i = 0; i < host.Routes.Count; i++)
        {
            routes.Add(MapRoute(host.Routes[i], context.At(host.Routes[i], at, "routes", i)));
        }

        return new VirtualHost(host.Name, host.Domains.ToArray(), routes, at, ProtoValues.ToMetadata(host.Metadata))
        {
            PerFilterConfigs = PerFilter(host.TypedPerFilterConfig, at),
        };
    }

    /// <summary>A <c>typed_per_filter_config</c> map, ordered by filter name; what each entry does to its filter.</summary>
    private IReadOnlyList<PerFilterConfig> PerFilter(Google.Protobuf.Collections.MapField<string, Google.Protobuf.WellKnownTypes.Any> map, JsonPointer owner)
    {
        if (map.Count == 0)
        {
            return [];
        }

        var at = owner.Append("typed_per_filter_config");
        return map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => PerFilterEntry(p.Key, p.Value, at.Append(p.Key))).ToArray();
    }

    private PerFilterConfig PerFilterEntry(string filter, Google.Protobuf.WellKnownTypes.Any config, JsonPointer at)
    {
        var type = ProtoValues.NullIfEmpty(config.TypeUrl) is { } url ? url[(url.LastIndexOf('/') + 1)..] : null;
        if (config.Is(RouteV3.FilterConfig.Descriptor) && context.Unpack<RouteV3.FilterConfig>(config, at) is { } generic)
        {
            // The generic wrapper: disabled; else it enables the filter, with its inner settings when it has some.
            return generic.Disabled ? new PerFilterConfig(filter, type, PerFilterEffect.Disable, at)
                : generic.Config is null ? new PerFilterConfig(filter, type, PerFilterEffect.Enable, at)
                : PerFilterEntry(filter, generic.Config, at.Append("config"));
        }

        if (config.Is(Envoy.Extensions.Filters.Http.Rbac.V3.RBACPerRoute.Descriptor) &&
            context.Unpack<Envoy.Extensions.Filters.Http.Rbac.V3.RBACPerRoute>(config, at) is { } rbacPerRoute)
        {
            var rules = rbacPerRoute.Rbac is { } r ? rbac.Map(r.Rules, r.ShadowRules, at.Append("rbac")) : [];
            return new PerFilterConfig(filter, type, PerFilterEffect.Override, at) { Rbac = rules };
        }

        if (config.Is(Envoy.Extensions.Filters.Http.ExtAuthz.V3.ExtAuthzPerRoute.Descriptor) &&
            context.Unpack<Envoy.Extensions.Filters.Http.ExtAuthz.V3.ExtAuthzPerRoute>(config, at) is { } authz)
        {
            return new PerFilterConfig(filter, type, authz.Disabled ? PerFilterEffect.Disable : PerFilterEffect.Enable, at);
        }

        if (config.Is(Envoy.Extensions.Filters.Http.JwtAuthn.V3.PerRouteConfig.Descriptor) &&
            context.Unpack<Envoy.Extensions.Filters.Http.JwtAuthn.V3.PerRouteConfig>(config, at) is { } jwt)
        {
            return jwt.Disabled
                ? new PerFilterConfig(filter, type, PerFilterEffect.Disable, at)
                : new PerFilterConfig(filter, type, PerFilterEffect.Override, at) { JwtRequirementName = ProtoValues.NullIfEmpty(jwt.RequirementName) };
        }

        return new PerFilterConfig(filter, type, PerFilterEffect.Other, at);
    }

    private Route MapRoute(RouteV3.Route route, JsonPointer at)
    {
        var match = MapMatch(route.Match);
        var kind = RouteActionKind.Unknown;
        string? cluster = null;
        string? clusterHeader = null;
        IReadOnlyList<WeightedCluster> weighted = [];
        TimeSpan? timeout = null;
        TimeSpan? idleTimeout = null;
        RetryPolicy? retry = null;
        uint? status = null;
        string? redirect = null;
        string? plugin = null;
        string? prefixRewrite = null;
        RegexRewrite? regexRewrite = null;
        string? uriTemplateRewrite = null;
        string? hostRewrite = null;

        switch (route.ActionCase)
        {
            case RouteV3.Route.ActionOneofCase.Route_:
                var action = route.Route_;
                switch (action.ClusterSpecifierCase)
                {
                    case RouteV3.RouteAction.ClusterSpecifierOneofCase.Cluster:
                        kind = RouteActionKind.Cluster;
                        cluster = action.Cluster;
                        break;
                    case RouteV3.RouteAction.ClusterSpecifierOneofCase.ClusterHeader:
                        kind = RouteActionKind.ClusterHeader;
                        clusterHeader = action.ClusterHeader;
                        break;
                    case RouteV3.RouteAction.ClusterSpecifierOneofCase.WeightedClusters:
                        kind = RouteActionKind.WeightedClusters;
                        weighted = MapWeighted(action.WeightedClusters);
                        break;
                    case RouteV3.RouteAction.ClusterSpecifierOneofCase.ClusterSpecifierPlugin:
                        kind = RouteActionKind.ClusterSpecifierPlugin;
                        plugin = action.ClusterSpecifierPlugin;
                        break;
                    case RouteV3.RouteAction.ClusterSpecifierOneofCase.InlineClusterSpecifierPlugin:
                        kind = RouteActionKind.InlineClusterSpecifierPlugin;
                        plugin = ProtoValues.NullIfEmpty(action.InlineClusterSpecifierPlugin.Extension?.Name);
                        break;
                }

                prefixRewrite = ProtoValues.NullIfEmpty(action.PrefixRewrite);
                uriTemplateRewrite = UriTemplateRewrite(action.PathRewritePolicy);
                if (action.RegexRewrite is { } rewrite)
                {
                    regexRewrite = new RegexRewrite(rewrite.Pattern?.Regex ?? string.Empty, rewrite.Substitution);
                }

                hostRewrite = action.HostRewriteSpecifierCase switch
                {
                    RouteV3.RouteAction.HostRewriteSpecifierOneofCase.HostRewriteLiteral => ProtoValues.NullIfEmpty(action.HostRewriteLiteral),
                    RouteV3.RouteAction.HostRewriteSpecifierOneofCase.AutoHostRewrite when action.AutoHostRewrite == true => "auto_host_rewrite (the upstream host's name)",
                    RouteV3.RouteAction.HostRewriteSpecifierOneofCase.HostRewriteHeader => "host_rewrite_header:" + action.HostRewriteHeader,
                    RouteV3.RouteAction.HostRewriteSpecifierOneofCase.HostRewritePathRegex => "host_rewrite_path_regex",
                    _ => null,
                };
                timeout = ProtoValues.ToTimeSpan(action.Timeout);
                idleTimeout = ProtoValues.ToTimeSpan(action.IdleTimeout);
                if (action.RetryPolicy is { } policy)
                {
                    retry = new RetryPolicy(
                        ProtoValues.NullIfEmpty(policy.RetryOn),
                        policy.NumRetries,
                        ProtoValues.ToTimeSpan(policy.PerTryTimeout),
                        ProtoValues.ToTimeSpan(policy.PerTryIdleTimeout));
                }

                break;
            case RouteV3.Route.ActionOneofCase.Redirect:
                kind = RouteActionKind.Redirect;
                redirect = RedirectTarget(route.Redirect);
                break;
            case RouteV3.Route.ActionOneofCase.DirectResponse:
                kind = RouteActionKind.DirectResponse;
                status = route.DirectResponse.Status;
                break;
            case RouteV3.Route.ActionOneofCase.FilterAction:
                kind = RouteActionKind.FilterAction;
                break;
            case RouteV3.Route.ActionOneofCase.NonForwardingAction:
                kind = RouteActionKind.NonForwarding;
                break;
        }

        return new Route(
            ProtoValues.NullIfEmpty(route.Name),
            match,
            kind,
            cluster,
            weighted,
            clusterHeader,
            timeout,
            idleTimeout,
            retry,
            status,
            redirect,
            ProtoValues.ToMetadata(route.Metadata),
            at)
        {
            ClusterSpecifierPlugin = ProtoValues.NullIfEmpty(plugin),
            PrefixRewrite = prefixRewrite,
            RegexRewrite = regexRewrite,
            UriTemplateRewrite = uriTemplateRewrite,
            PerFilterConfigs = PerFilter(route.TypedPerFilterConfig, at),
            HostRewrite = hostRewrite,
        };
    }

    private static WeightedCluster[] MapWeighted(RouteV3.WeightedCluster weighted) =>
        weighted.Clusters.Select(c => new WeightedCluster(c.Name, c.Weight ?? 0)).ToArray();

    internal static RouteMatch MapMatch(RouteV3.RouteMatch? match)
    {
        if (match is null)
        {
            return new RouteMatch(PathMatchKind.None, null, true, [], [], false);
        }

        var (kind, value) = match.PathSpecifierCase switch
        {
            RouteV3.RouteMatch.PathSpecifierOneofCase.Prefix => (PathMatchKind.Prefix, match.Prefix),
            RouteV3.RouteMatch.PathSpecifierOneofCase.Path => (PathMatchKind.Path, match.Path),
            RouteV3.RouteMatch.PathSpecifierOneofCase.SafeRegex => (PathMatchKind.SafeRegex, match.SafeRegex?.Regex),
            RouteV3.RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => (PathMatchKind.PathSeparatedPrefix, match.PathSeparatedPrefix),
            RouteV3.RouteMatch.PathSpecifierOneofCase.ConnectMatcher => (PathMatchKind.ConnectMatcher, (string?)null),
            RouteV3.RouteMatch.PathSpecifierOneofCase.PathMatchPolicy => (PathMatchKind.PathMatchPolicy, UriTemplate(match.PathMatchPolicy) ?? ProtoValues.NullIfEmpty(match.PathMatchPolicy?.Name)),
            _ => (PathMatchKind.None, (string?)null),
        };

        var headers = match.Headers.Select(MapHeader).ToArray();
        var query = match.QueryParameters.Select(MapQueryParameter).ToArray();
        var other = new List<string>();
        if (match.TlsContext is not null)
        {
            other.Add("tls_context");
        }

        if (match.DynamicMetadata.Count > 0)
        {
            other.Add("dynamic_metadata");
        }

        return new RouteMatch(kind, value, match.CaseSensitive ?? true, headers, query, match.Grpc is not null)
        {
            RuntimeFraction = RuntimeFractionText(match.RuntimeFraction),
            UriTemplate = match.PathSpecifierCase == RouteV3.RouteMatch.PathSpecifierOneofCase.PathMatchPolicy ? UriTemplate(match.PathMatchPolicy) : null,
            OtherConditions = other.Count == 0 ? [] : other,
        };
    }

    private static string? RuntimeFractionText(Envoy.Config.Core.V3.RuntimeFractionalPercent? fraction)
    {
        if (fraction?.DefaultValue is not { } percent)
        {
            return fraction is null ? null : "runtime key " + fraction.RuntimeKey;
        }

        double denominator = percent.Denominator switch
        {
            Envoy.Type.V3.FractionalPercent.Types.DenominatorType.TenThousand => 10_000,
            Envoy.Type.V3.FractionalPercent.Types.DenominatorType.Million => 1_000_000,
            _ => 100,
        };
        var share = (percent.Numerator * 100.0 / denominator).ToString("0.####", CultureInfo.InvariantCulture) + "%";
        return string.IsNullOrEmpty(fraction.RuntimeKey) ? share : share + " (runtime key " + fraction.RuntimeKey + ")";
    }

    /// <summary>The path template of an <c>envoy.path.match.uri_template</c> policy; null for any other policy.</summary>
    private static string? UriTemplate(Envoy.Config.Core.V3.TypedExtensionConfig? policy) =>
        policy?.TypedConfig is { } config &&
        config.Is(Envoy.Extensions.Path.Match.UriTemplate.V3.UriTemplateMatchConfig.Descriptor) &&
        config.TryUnpack<Envoy.Extensions.Path.Match.UriTemplate.V3.UriTemplateMatchConfig>(out var template)
            ? template.PathTemplate
            : null;

    /// <summary>The rewrite template of an <c>envoy.path.rewrite.uri_template</c> policy; null when none is set.</summary>
    private static string? UriTemplateRewrite(Envoy.Config.Core.V3.TypedExtensionConfig? policy) =>
        policy?.TypedConfig is { } config &&
        config.Is(Envoy.Extensions.Path.Rewrite.UriTemplate.V3.UriTemplateRewriteConfig.Descriptor) &&
        config.TryUnpack<Envoy.Extensions.Path.Rewrite.UriTemplate.V3.UriTemplateRewriteConfig>(out var rewrite)
            ? ProtoValues.NullIfEmpty(rewrite.PathTemplateRewrite)
            : null;

    internal static HeaderMatch MapHeader(RouteV3.HeaderMatcher header)
    {
        // The deprecated *_match fields are still what older control planes send.
#pragma warning disable CS0612
        var (kind, value) = header.HeaderMatchSpecifierCase switch
        {
            RouteV3.HeaderMatcher.HeaderMatchSpecifierOneofCase.ExactMatch => ("exact", header.ExactMatch),
            RouteV3.HeaderMatcher.HeaderMatchSpecifierOneofCase.SafeRegexMatch => ("safe_regex", header.SafeRegexMatch?.Regex),
            RouteV3.HeaderMatcher.HeaderMatchSpecifierOneofCase.RangeMatch => ("range", string.Create(CultureInfo.InvariantCulture, $"[{header.RangeMatch.Start},{header.RangeMatch.End})")),
            RouteV3.HeaderMatcher.HeaderMatchSpecifierOneofCase.PresentMatch => ("present", header.PresentMatch ? "true" : "false"),
            RouteV3.HeaderMatcher.HeaderMatchSpecifierOneofCase.PrefixMatch => ("prefix", header.PrefixMatch),
            RouteV3.HeaderMatcher.HeaderMatchSpecifierOneofCase.SuffixMatch => ("suffix", header.SuffixMatch),
            RouteV3.HeaderMatcher.HeaderMatchSpecifierOneofCase.ContainsMatch => ("contains", header.ContainsMatch),
            RouteV3.HeaderMatcher.HeaderMatchSpecifierOneofCase.StringMatch => StringMatchParts(header.StringMatch),
            _ => ("present", (string?)null),
        };
#pragma warning restore CS0612
        return new HeaderMatch(header.Name, kind, value, header.InvertMatch) { IgnoreCase = header.StringMatch?.IgnoreCase == true };
    }

    private static HeaderMatch MapQueryParameter(RouteV3.QueryParameterMatcher parameter)
    {
        var (kind, value) = parameter.QueryParameterMatchSpecifierCase switch
        {
            RouteV3.QueryParameterMatcher.QueryParameterMatchSpecifierOneofCase.StringMatch => StringMatchParts(parameter.StringMatch),
            RouteV3.QueryParameterMatcher.QueryParameterMatchSpecifierOneofCase.PresentMatch => ("present", parameter.PresentMatch ? "true" : "false"),
            _ => ("present", (string?)null),
        };
        return new HeaderMatch(parameter.Name, kind, value, false) { IgnoreCase = parameter.StringMatch?.IgnoreCase == true };
    }

    private static (string Kind, string? Value) StringMatchParts(Envoy.Type.Matcher.V3.StringMatcher? matcher) =>
        ProtoValues.ToStringMatch(matcher) is { } match ? (match.Kind, match.Value) : ("exact", null);

    /// <summary>A redirect as text: <c>scheme://host:port/path</c> with the parts the redirect sets.</summary>
    private static string RedirectTarget(RouteV3.RedirectAction redirect)
    {
        var scheme = redirect.SchemeRewriteSpecifierCase switch
        {
            RouteV3.RedirectAction.SchemeRewriteSpecifierOneofCase.HttpsRedirect when redirect.HttpsRedirect => "https",
            RouteV3.RedirectAction.SchemeRewriteSpecifierOneofCase.SchemeRedirect => ProtoValues.NullIfEmpty(redirect.SchemeRedirect),
            _ => null,
        };
        var authority = redirect.HostRedirect;
        if (redirect.PortRedirect != 0)
        {
            authority += ":" + redirect.PortRedirect.ToString(CultureInfo.InvariantCulture);
        }

        var path = redirect.PathRewriteSpecifierCase switch
        {
            RouteV3.RedirectAction.PathRewriteSpecifierOneofCase.PathRedirect => redirect.PathRedirect,
            RouteV3.RedirectAction.PathRewriteSpecifierOneofCase.PrefixRewrite => redirect.PrefixRewrite + "*",
            RouteV3.RedirectAction.PathRewriteSpecifierOneofCase.RegexRewrite => "regex:" + redirect.RegexRewrite?.Substitution,
            _ => "",
        };

        var text = scheme is null
            ? authority + path
            : scheme + "://" + (authority.Length == 0 ? "*" : authority) + path;
        return text.Length == 0 ? "(same URL)" : text;
    }
}
