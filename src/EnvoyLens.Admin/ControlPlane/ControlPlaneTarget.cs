using EnvoyLens.Core;

namespace EnvoyLens.Admin.ControlPlane;

/// <summary>
/// Where a control plane is and how to reach it: <c>http://HOST:PORT</c> (plaintext HTTP/2, e.g. istiod's 15010) or
/// <c>https://HOST:PORT</c> with the CA to trust, a client certificate for mutual TLS, and a bearer token (istiod's
/// 15012 wants a Kubernetes service-account token of audience <c>istio-ca</c>).
/// </summary>
public sealed record ControlPlaneTarget
{
    public required Uri Address { get; init; }

    /// <summary>PEM file of the CA certificates the server's certificate must chain to; null for the system's.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM files of the client certificate and its key, for mutual TLS.</summary>
    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>Accept any server certificate (the CLI warns loudly).</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>The bearer token sent with every call; null for none.</summary>
    public string? Token { get; init; }

    /// <summary>Where the token came from, for messages (a file name, or standard input).</summary>
    public string? TokenSource { get; init; }

    /// <summary>The deadline of one call, from connecting to the whole response.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest response message accepted, in bytes (default 256 MiB).</summary>
    public int MaxResponseBytes { get; init; } = 256 << 20;

    /// <summary>How the control plane is named in messages when not by its address (a port-forwarded istiod pod).</summary>
    public string? DisplayName { get; init; }

    /// <summary>Opens the byte stream to the control plane (a Kubernetes port-forward); null to connect to <see cref="Address"/>.</summary>
    public Func<System.Net.Http.SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? Connect { get; init; }

    /// <summary>What the connection holds open (the Kubernetes client), disposed with the client.</summary>
    public IDisposable? Resources { get; init; }

    /// <summary>The address as shown in messages.</summary>
    public string Display => DisplayName ?? Address.GetLeftPart(UriPartial.Authority);

    /// <summary>The credentials sent, for an UNAUTHENTICATED or PERMISSION_DENIED message.</summary>
    public string Credentials
    {
        get
        {
            var parts = new List<string>();
            if (Token is not null)
            {
                parts.Add("the bearer token from " + (TokenSource ?? "the command line"));
            }

            if (CertFile is not null)
            {
                parts.Add($"the client certificate '{CertFile}'");
            }

            return parts.Count == 0 ? "no credentials (give --token FILE, or --cert and --key)" : string.Join(" and ", parts);
        }
    }

    /// <summary>Parses <c>http://HOST:PORT</c> or <c>https://HOST:PORT</c> (a path is not allowed).</summary>
    public static Uri ParseAddress(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw new EnvoyLensException($"{option} '{text}' is not a control-plane address; give http://HOST:PORT (plaintext, e.g. istiod:15010) or https://HOST:PORT.");
        }

        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new EnvoyLensException($"{option} '{text}' has a path, query or user part; give only http(s)://HOST:PORT.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}
