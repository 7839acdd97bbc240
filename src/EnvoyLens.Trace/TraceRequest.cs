using System.Globalization;
using System.Net;
using EnvoyLens.Core;

namespace EnvoyLens.Trace;

/// <summary>The TARGET of a trace: <c>http://HOST[:PORT]/PATH?QUERY</c>, <c>https://...</c>, <c>tcp://HOST:PORT</c> or <c>grpc://HOST:PORT/pkg.Service/Method</c>.</summary>
/// <param name="Scheme">http, https, tcp or grpc.</param>
/// <param name="Path">The path without its query (<c>/</c> when none; empty for tcp).</param>
/// <param name="Query">The query without its <c>?</c>; empty when none.</param>
public sealed record TraceTarget(string Scheme, string Host, int Port, string Path, string Query)
{
    /// <summary>True for the schemes that carry an HTTP request (http, https, grpc).</summary>
    public bool IsHttp => Scheme is not "tcp";

    /// <summary>True when the application itself speaks TLS (https).</summary>
    public bool IsTls => Scheme is "https";

    /// <summary>The Host header the application sends: the host, with the port unless it is the scheme's default.</summary>
    public string Authority =>
        (Scheme, Port) is ("http", 80) or ("https", 443) or ("grpc", 80)
            ? HostText
            : HostText + ":" + Port.ToString(CultureInfo.InvariantCulture);

    private string HostText => IPAddress.TryParse(Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + Host + "]" : Host;

    public override string ToString() =>
        Scheme + "://" + HostText + ":" + Port.ToString(CultureInfo.InvariantCulture) + Path + (Query.Length > 0 ? "?" + Query : string.Empty);

    /// <summary>Parses a TARGET; an <see cref="EnvoyLensException"/> naming what is wrong otherwise.</summary>
    public static TraceTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            throw new EnvoyLensException($"TARGET '{text}' must be a URL: http://HOST[:PORT]/PATH, https://HOST[:PORT]/PATH, tcp://HOST:PORT or grpc://HOST:PORT/package.Service/Method.");
        }

        var scheme = text[..sep].ToLowerInvariant();
        if (scheme is not ("http" or "https" or "tcp" or "grpc"))
        {
            throw new EnvoyLensException($"TARGET scheme '{text[..sep]}' is not one of http, https, tcp or grpc.");
        }

        var rest = text[(sep + 3)..];
        var pathStart = rest.IndexOfAny(['/', '?']);
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        var pathAndQuery = pathStart < 0 ? string.Empty : rest[pathStart..];
        var (host, port) = SplitAuthority(authority, text);
        if (port is null)
        {
            port = scheme switch
            {
                "http" or "grpc" => 80,
                "https" => 443,
                _ => throw new EnvoyLensException($"TARGET '{text}' needs a port: tcp://HOST:PORT."),
            };
        }

        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = q < 0 ? string.Empty : pathAndQuery[(q + 1)..];
        if (scheme != "tcp" && path.Length == 0)
        {
            path = "/";
        }

        if (scheme == "tcp" && (path.Length > 1 || query.Length > 0))
        {
            throw new EnvoyLensException($"TARGET '{text}' is a tcp:// URL and cannot have a path or query.");
        }

        if (scheme == "tcp")
        {
            path = string.Empty;
        }

        return new TraceTarget(scheme, host, port.Value, path, query);
    }

    private static (string Host, int? Port) SplitAuthority(string authority, string text)
    {
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            throw new EnvoyLensException($"TARGET '{text}' must not carry user information (USER@HOST).");
        }

        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new EnvoyLensException($"TARGET '{text}' has an IPv6 address without its closing ']'.");
            }

            host = authority[1..close];
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':')
                {
                    throw new EnvoyLensException($"TARGET '{text}' has text after the IPv6 address that is not :PORT.");
                }

                portText = authority[(close + 2)..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw new EnvoyLensException($"TARGET '{text}' has no host.");
        }

        if (portText is null)
        {
            return (host.ToLowerInvariant(), null);
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new EnvoyLensException($"TARGET '{text}' has port '{portText}', which is not a number from 1 to 65535.");
        }

        return (host.ToLowerInvariant(), port);
    }
}

/// <summary>One request to follow through a proxy, with what the connection carries.</summary>
/// <param name="Method">The HTTP method (GET by default, POST for grpc).</param>
/// <param name="Headers">Extra request headers in the order given; <c>host</c> / <c>:authority</c> override the URL's host.</param>
/// <param name="Address">The destination IP the application connected to (<c>--address</c>); null to let the tracer find it.</param>
/// <param name="SourceIp">The downstream IP (<c>--source</c>), null when unknown.</param>
/// <param name="Sni">The TLS server name (<c>--sni</c>); for https the host when not given.</param>
/// <param name="Alpn">The ALPN protocols the client offers (<c>--alpn</c>); empty to derive them.</param>
/// <param name="Inbound">The request arrives at this proxy's workload (Istio's virtualInbound) instead of leaving it.</param>
public sealed record TraceRequest(
    TraceTarget Target,
    string Method,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Address,
    string? SourceIp,
    int? SourcePort,
    string? Sni,
    IReadOnlyList<string> Alpn,
    bool Inbound)
{
    /// <summary>Start at this route configuration instead of a listener (a capture without listeners, a gateway's RDS route); null to start at the listener.</summary>
    public string? RouteConfigName { get; init; }

    /// <summary>The downstream peer's identity as RBAC's <c>authenticated</c> principal sees it (a SPIFFE ID, <c>--source-principal</c>); null when unknown.</summary>
    public string? SourcePrincipal { get; init; }

    /// <summary>A plain request to <paramref name="target"/> with the defaults of its scheme.</summary>
    public static TraceRequest For(string target) => For(TraceTarget.Parse(target));

    public static TraceRequest For(TraceTarget target) =>
        new(target, target.Scheme == "grpc" ? "POST" : "GET", [], null, null, null, null, [], false);

    /// <summary>The Host header Envoy sees: the last <c>host</c> or <c>:authority</c> header given, else the URL's.</summary>
    public string Authority =>
        Headers.LastOrDefault(h => h.Key.Equals("host", StringComparison.OrdinalIgnoreCase) || h.Key.Equals(":authority", StringComparison.OrdinalIgnoreCase)).Value
        ?? Target.Authority;

    /// <summary>The SNI the client sends: <see cref="Sni"/>, else the host for https, else none.</summary>
    public string? ServerName => Sni ?? (Target.IsTls ? Target.Host : null);

    /// <summary>
    /// The request headers as Envoy's route matching sees them (lower-case names): the pseudo-headers <c>:method</c>,
    /// <c>:path</c>, <c>:authority</c>, <c>:scheme</c>, <c>content-type: application/grpc</c> for grpc, then every
    /// <c>--header</c> (a repeated name keeps every value).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> HeaderMap()
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string k, string v)
        {
            k = k.ToLowerInvariant();
            if (!map.TryGetValue(k, out var list))
            {
                map[k] = list = [];
            }

            list.Add(v);
        }

        Add(":method", Method);
        Add(":path", Target.Path + (Target.Query.Length > 0 ? "?" + Target.Query : string.Empty));
        Add(":authority", Authority);
        Add(":scheme", Target.Scheme == "https" ? "https" : "http");
        if (Target.Scheme == "grpc" && !Headers.Any(h => h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)))
        {
            Add("content-type", "application/grpc");
        }

        foreach (var (k, v) in Headers)
        {
            if (k.Equals("host", StringComparison.OrdinalIgnoreCase) || k.Equals(":authority", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Add(k, v);
        }

        return map.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }
}
