using System.Globalization;
using EnvoyLens.Cli.Options;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Trace;
using EnvoyLens.Trace;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens trace</c> was asked for, as given on the command line.</summary>
internal sealed record TraceInvocation(
    SourceSpec Source,
    string? Target,
    string? Method,
    IReadOnlyList<string> Headers,
    string? Address,
    string? SourceAddress,
    string? Sni,
    string? Alpn,
    bool Inbound,
    bool All,
    TextOrJson Format)
{
    /// <summary><c>--route-config</c>: start at this route configuration.</summary>
    public string? RouteConfig { get; init; }

    /// <summary><c>--source-principal</c>: the downstream peer's SPIFFE ID for RBAC's authenticated principals.</summary>
    public string? SourcePrincipal { get; init; }
}

/// <summary>
/// <c>envoylens trace</c>: checks the TARGET and options, loads the capture, traces the request and writes the hops.
/// Exit 0 when the request is forwarded to an upstream with a usable endpoint, 1 when it would fail or cannot be
/// determined, 2 for an unusable input or TARGET.
/// </summary>
internal sealed class TraceService(SnapshotLoader loader, TimeProvider clock)
{
    /// <summary>The exit code of a trace that does not end forwarded.</summary>
    public const int NotForwarded = 1;

    public int Run(TraceInvocation invocation, TextWriter output)
    {
        var request = Request(invocation);
        var loaded = loader.Load(invocation.Source);
        var result = new RequestTracer(loaded.Snapshot, SecretDescriber(loaded.Snapshot, clock.GetUtcNow())).Trace(request);
        output.Write(invocation.Format == TextOrJson.Json ? TraceRenderer.Json(result, invocation.All) : TraceRenderer.Text(result, invocation.All));
        return result.Verdict.Outcome == TraceOutcome.Forwarded ? ExitCodes.Ok : NotForwarded;
    }

    /// <summary>
    /// What the certificate inventory says of an SDS secret: a chain's leaf identity and validity at <paramref name="now"/>,
    /// a trust bundle's size and the first expiry in it.
    /// </summary>
    internal static Func<string, string?> SecretDescriber(EnvoySnapshot snapshot, DateTimeOffset now)
    {
        var inventory = new Lazy<CertificateInventory>(() => CertificateInventory.From(snapshot));
        return name =>
        {
            var groups = inventory.Value.Groups.Where(g => g.SecretName == name && g.State == ResourceState.Active && g.Certificates.Count > 0).ToList();
            if (groups.Count == 0)
            {
                return null;
            }

            var parts = new List<string>();
            if (groups.FirstOrDefault(g => g.Role == CertificateRole.Chain)?.Leaf is { } leaf)
            {
                parts.Add((leaf.Uris.FirstOrDefault() ?? leaf.DnsNames.FirstOrDefault() ?? leaf.Subject) + ", " + Validity(leaf.NotBefore, leaf.NotAfter, now));
            }

            var cas = groups.Where(g => g.Role == CertificateRole.TrustedCa).SelectMany(g => g.Certificates).ToList();
            if (cas.Count > 0)
            {
                var first = cas.OrderBy(c => c.NotAfter).First();
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{cas.Count} CA certificate(s), the earliest {Validity(first.NotBefore, first.NotAfter, now)}"));
            }

            return string.Join("; ", parts);
        };
    }

    private static string Validity(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now) =>
        now < notBefore ? "NOT YET VALID (from " + TimeText.Utc(notBefore) + ")"
        : now > notAfter ? "EXPIRED at " + TimeText.Utc(notAfter)
        : "valid until " + TimeText.Utc(notAfter);

    /// <summary>The request to trace, or an <see cref="EnvoyLensException"/> naming what is wrong (before anything is read).</summary>
    internal static TraceRequest Request(TraceInvocation invocation)
    {
        if (string.IsNullOrWhiteSpace(invocation.Target))
        {
            throw new EnvoyLensException("a TARGET is required, e.g. http://HOST:PORT/PATH.");
        }

        var target = TraceTarget.Parse(invocation.Target);
        var headers = invocation.Headers.Select(Header).ToList();
        string? sourceIp = null;
        int? sourcePort = null;
        if (invocation.SourceAddress is { } src)
        {
            (sourceIp, sourcePort) = SourceAddress(src);
        }

        if (invocation.Address is { } address && !System.Net.IPAddress.TryParse(address, out _))
        {
            throw new EnvoyLensException($"--address '{address}' is not an IP address.");
        }

        var alpn = invocation.Alpn is null ? [] : invocation.Alpn.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var method = invocation.Method?.ToUpperInvariant() ?? (target.Scheme == "grpc" ? "POST" : "GET");
        return new TraceRequest(target, method, headers, invocation.Address, sourceIp, sourcePort, invocation.Sni, alpn, invocation.Inbound)
        {
            RouteConfigName = invocation.RouteConfig,
            SourcePrincipal = invocation.SourcePrincipal,
        };
    }

    private static KeyValuePair<string, string> Header(string text)
    {
        // NAME=VALUE, or NAME:VALUE; a leading ':' belongs to a pseudo-header's name (:authority=HOST).
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var colon = text.IndexOf(':', 1);
        var at = eq > 0 && (colon < 0 || eq < colon) ? eq : colon;
        if (at <= 0)
        {
            throw new EnvoyLensException($"--header '{text}' must have the form NAME=VALUE.");
        }

        return new(text[..at].Trim(), text[(at + 1)..].Trim());
    }

    private static (string Ip, int? Port) SourceAddress(string text)
    {
        if (System.Net.IPAddress.TryParse(text, out _) && !text.Contains(']', StringComparison.Ordinal))
        {
            return (text, null);
        }

        if (System.Net.IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0)
        {
            return (endpoint.Address.ToString(), endpoint.Port);
        }

        throw new EnvoyLensException(string.Create(CultureInfo.InvariantCulture, $"--source '{text}' must be IP or IP:PORT."));
    }
}
