using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Reporting.Decode;

/// <summary>Resource counts of one kind: total and per state / origin (only non-zero ones are listed).</summary>
public sealed record KindCount(string Kind, int Total, IReadOnlyList<(string Name, int Count)> Breakdown);

/// <summary>The facts <c>envoylens decode</c> reports, independent of the output form.</summary>
public sealed record DecodeReport(
    string Origin,
    IReadOnlyList<RawDocument> Documents,
    DocumentSummary? ConfigDump,
    IReadOnlyList<KindCount> Resources,
    int RawPayloads,
    IReadOnlyList<DecodeDiagnostic> Diagnostics)
{
    /// <summary>The report of <paramref name="raw"/> as decoded into <paramref name="s"/>.</summary>
    public static DecodeReport From(RawSnapshot raw, EnvoySnapshot s)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(s);
        var resources = new List<KindCount>
        {
            Count("listeners", s.Listeners.Select(l => l.Meta)),
            Count("routeConfigs", s.RouteConfigs.Select(r => r.Meta)),
            Count("clusters", s.Clusters.Select(c => c.Meta)),
            Count("loadAssignments", s.LoadAssignments.Select(a => a.Meta)),
            Count("secrets", s.Secrets.Select(x => x.Meta)),
            Count("ecds", s.Ecds.Select(e => e.Meta)),
            Plain("clusterStatuses", s.ClusterStatuses.Count),
            Plain("listenerStatuses", s.ListenerStatuses.Count),
            Plain("adminCertificates", s.AdminCertificates.Count),
            Plain("initTargets", s.InitTargets.Count),
            Plain("stats", s.Stats?.Stats.Count ?? 0),
        };
        if (s.Linkerd is { } l)
        {
            resources.Add(Plain("linkerdRequests", l.Requests.Count));
            resources.Add(Plain("linkerdResponses", l.Responses.Count));
            resources.Add(Plain("linkerdTcpOpens", l.TcpOpens.Count));
            resources.Add(Plain("linkerdTcpCloses", l.TcpCloses.Count));
            resources.Add(Plain("linkerdAuthorizations", l.Authorizations.Count));
            resources.Add(Plain("linkerdControlRequests", l.ControlRequests.Count));
            resources.Add(Plain("linkerdControlResponses", l.ControlResponses.Count));
            resources.Add(Plain("linkerdIdentityMetrics", (l.Identity.CertificateExpiry is null ? 0 : 1) + (l.Identity.RefreshCount is null ? 0 : 1)));
            resources.Add(Plain("linkerdProcessMetrics", new object?[] { l.Process.StartTime, l.Process.ResidentMemoryBytes, l.Process.OpenFds, l.Process.MaxFds, l.Process.CpuSeconds }.Count(v => v is not null)));
            resources.Add(Plain("linkerdSamples", l.Earlier is null ? 1 : 2));
        }

        return new DecodeReport(s.Origin, raw.Documents, s.ConfigDump, resources, s.RawPayloads.Count, s.Diagnostics)
        {
            ControlPlane = raw.ControlPlane,
            Proxy = s.Proxy,
            ProxyVersion = s.Linkerd?.Version ?? s.ServerInfo?.Version,
        };
    }

    /// <summary>The kind of proxy the capture is of.</summary>
    public ProxyKind Proxy { get; init; }

    /// <summary>The proxy's version when the capture says it (linkerd2-proxy's <c>proxy_build_info</c>, Envoy's <c>/server_info</c>).</summary>
    public string? ProxyVersion { get; init; }

    /// <summary>How the text form names the proxy: <c>linkerd2-proxy enterprise-2.16.1 (from proxy_build_info)</c>.</summary>
    public string ProxyLine =>
        Proxy.Name() + (ProxyVersion is { } v ? " " + v + (Proxy == ProxyKind.Linkerd2Proxy ? " (from proxy_build_info)" : " (from /server_info)") : " (version not in the capture)");

    /// <summary>The control plane's view of the proxy read beside the documents (<c>control_plane.json</c>), when there was one.</summary>
    public RawFile? ControlPlane { get; init; }

    /// <summary>How many files were read: the documents and the control plane's view.</summary>
    public int FilesRead => Documents.Count + (ControlPlane is null ? 0 : 1);

    private static KindCount Plain(string kind, int n) => new(kind, n, []);

    private static KindCount Count(string kind, IEnumerable<ResourceMeta> metas)
    {
        var list = metas.ToList();
        var breakdown = new List<(string, int)>();
        foreach (var origin in Enum.GetValues<ResourceOrigin>())
        {
            var n = list.Count(m => m.Origin == origin);
            if (n > 0)
            {
                breakdown.Add((origin.ToString().ToLowerInvariant(), n));
            }
        }

        foreach (var state in Enum.GetValues<ResourceState>())
        {
            var n = list.Count(m => m.State == state);
            if (n > 0)
            {
                breakdown.Add((state.ToString().ToLowerInvariant(), n));
            }
        }

        return new KindCount(kind, list.Count, breakdown);
    }

    /// <summary>The admin endpoint as <c>decode</c> names it (its path without the slash).</summary>
    public static string EndpointName(AdminEndpoint e) => AdminEndpoints.Of(e).Name;

    /// <summary>A diagnostic's sentence with the members of the source it names (<c>BUNDLE/stats.txt</c>) relative to it.</summary>
    public string RelativeIn(string message) =>
        Origin.Length == 0 || Origin.Contains("://", StringComparison.Ordinal)
            ? message
            : message.Replace(Origin.TrimEnd('/', Path.DirectorySeparatorChar) + "/", "", StringComparison.Ordinal);

    /// <summary>
    /// A document's name relative to what was read: a bundle or folder member without the folder
    /// (<c>config_dump.json</c>), an admin response as its path (<c>/config_dump?include_eds</c>), a file read alone as its
    /// file name; anything else (one of several files named one by one) as given.
    /// </summary>
    public string Relative(string source)
    {
        if (string.Equals(source, Origin, StringComparison.Ordinal))
        {
            return Path.GetFileName(source) is { Length: > 0 } name ? name : source;
        }

        if (source.Length > Origin.Length && source.StartsWith(Origin, StringComparison.Ordinal))
        {
            var rest = source[Origin.Length..];
            if (Origin.Contains("://", StringComparison.Ordinal))
            {
                return rest[0] is '/' or '?' ? rest : source;
            }

            if (rest[0] == '/' || rest[0] == Path.DirectorySeparatorChar)
            {
                return rest[1..];
            }

            if (Origin.EndsWith('/') || Origin.EndsWith(Path.DirectorySeparatorChar))
            {
                return rest;
            }
        }

        return source;
    }
}
