using System.Net.Http;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Live;

/// <summary>
/// Where an Envoy admin endpoint is: an admin URL, or a pod reached through a port-forward (then
/// <see cref="Connect"/> opens the byte stream and <see cref="BaseAddress"/> is the address inside the pod).
/// </summary>
/// <param name="Kind"><c>admin</c> or <c>pod</c>, as in a bundle manifest's target.</param>
/// <param name="Display">How messages name the target, e.g. <c>pod reviews-v1.default (container istio-proxy, port 15000)</c>.</param>
public sealed record AdminTarget(string Kind, string Display, Uri BaseAddress)
{
    /// <summary><c>pod.namespace</c> for pods, the URL for admin URLs.</summary>
    public string? Name { get; init; }

    /// <summary>The container whose admin port is read (pods only).</summary>
    public string? Container { get; init; }

    /// <summary>The admin port.</summary>
    public int? Port { get; init; }

    /// <summary>The kind of proxy behind the admin port; it decides which paths may be requested (<see cref="AdminAllowlist"/>).</summary>
    public ProxyKind Proxy { get; init; }

    /// <summary>Opens a connection to the admin port; null to dial <see cref="BaseAddress"/> directly.</summary>
    public Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? Connect { get; init; }

    /// <summary>Opens a connection to another port of the same pod (the proxy's inbound TLS port, for <see cref="TlsProbe"/>); null for admin URLs.</summary>
    public Func<int, CancellationToken, ValueTask<Stream>>? OpenPort { get; init; }

    /// <summary>The pod's service account (pods only), which names its mesh identity.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>Releases what the target holds (a Kubernetes client); called by the admin client's owner.</summary>
    public IDisposable? Resources { get; init; }

    /// <summary>
    /// An admin URL given by the user: <c>http(s)://HOST:PORT</c> with no path, query, fragment or user info.
    /// Anything else is an <see cref="EnvoyLensException"/>.
    /// </summary>
    public static AdminTarget ForUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new EnvoyLensException($"--admin '{url}' is not an admin URL; give http://HOST:PORT or https://HOST:PORT.");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new EnvoyLensException($"--admin '{url}' must be only scheme, host and port (http://HOST:PORT); EnvoyLens chooses the admin paths itself.");
        }

        var root = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
        var shown = root.GetLeftPart(UriPartial.Authority);
        // Port 4191 is linkerd2-proxy's admin port (Envoy's is 15000, 19000, 9901 by convention, never 4191): it is asked
        // only linkerd2-proxy's own paths.
        return new AdminTarget("admin", shown, root)
        {
            Name = null,
            Port = uri.Port,
            Proxy = uri.Port == LinkerdAdminPort ? ProxyKind.Linkerd2Proxy : ProxyKind.Envoy,
        };
    }

    /// <summary>linkerd2-proxy's admin port; an <c>--admin</c> URL on it is read as a linkerd2-proxy.</summary>
    public const int LinkerdAdminPort = 4191;

    /// <summary>The full URL of an admin path, as shown in messages and manifests.</summary>
    public string UrlOf(string pathAndQuery) => Kind == "admin" ? BaseAddress.GetLeftPart(UriPartial.Authority) + pathAndQuery : pathAndQuery;
}
