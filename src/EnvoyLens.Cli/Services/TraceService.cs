using System.Globalization;
using EnvoyLens.Cli.Options;
using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Html;
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
    TextJsonOrHtml Format)
{
    /// <summary><c>--route-config</c>: start at this route configuration.</summary>
    public string? RouteConfig { get; init; }

    /// <summary><c>--source-principal</c>: the downstream peer's SPIFFE ID for RBAC's authenticated principals.</summary>
    public string? SourcePrincipal { get; init; }

    /// <summary><c>--peer</c>: a capture of the upstream proxy, whose trust is compared with this one at the upstream TLS hop.</summary>
    public SourceSpec? Peer { get; init; }

    /// <summary><c>--at</c>: the instant certificate validity is judged at; null for the command's clock.</summary>
    public string? At { get; init; }
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
        var now = AtOption.Parse(invocation.At, clock).GetUtcNow();
        var loaded = loader.Load(invocation.Source);
        if (loaded.Snapshot.ConfigDump is null)
        {
            // Without a config dump there is nothing to follow the request through (a /stats file, a linkerd2-proxy's
            // /metrics): say so rather than report that no listener serves the port.
            throw new EnvoyLensException(loaded.Snapshot.Proxy == ProxyKind.Linkerd2Proxy
                ? $"'{invocation.Source.Path}' is a linkerd2-proxy capture: trace follows a request through an Envoy's config dump, and it has none."
                : $"'{invocation.Source.Path}' holds no config dump to trace the request through.");
        }
        var result = new RequestTracer(loaded.Snapshot, SecretDescriber(loaded.Snapshot, now)).Trace(request);
        if (invocation.Peer is { } peer)
        {
            result = WithPeer(result, loaded.Snapshot, loader.Load(peer).Snapshot, now);
        }

        var exit = result.Verdict.Outcome == TraceOutcome.Forwarded ? ExitCodes.Ok : NotForwarded;
        output.Write(invocation.Format switch
        {
            TextJsonOrHtml.Json => TraceRenderer.Json(result, invocation.All),
            TextJsonOrHtml.Html => TraceHtmlRenderer.Render(
                HtmlReports.Header("trace", invocation.Source, loaded, now, $"{TraceRenderer.OutcomeName(result.Verdict.Outcome)}: exit {exit.ToString(CultureInfo.InvariantCulture)}"), result),
            _ => TraceRenderer.Text(result, invocation.All),
        });
        return exit;
    }

    /// <summary>
    /// The trace with a hop that judges the upstream TLS handshake against the peer's capture (<c>certs compare</c>'s
    /// logic, this proxy the client with only the chosen cluster's SAN matchers, the peer the server); a handshake that
    /// would fail stops the request with UF, a peer RBAC that denies this proxy's identity with 403.
    /// </summary>
    internal static TraceResult WithPeer(TraceResult result, EnvoySnapshot self, EnvoySnapshot peer, DateTimeOffset now)
    {
        var tls = result.Hops.LastOrDefault(h => h.Kind == HopKind.UpstreamTls);
        if (result.Verdict.Outcome != TraceOutcome.Forwarded || result.Verdict.Cluster is not { } name || tls is null || self.FindCluster(name) is not { } cluster)
        {
            return result with
            {
                Hops = [.. result.Hops, new TraceHop(HopKind.PeerTrust, HopStatus.NotEvaluated, "peer", tls?.Pointer ?? JsonPointer.Root,
                    "The peer is not judged: the request does not reach an upstream connection.")],
            };
        }

        if (cluster.Tls is null && cluster.TransportSocketMatches.All(m => m.Tls is null))
        {
            return result with
            {
                Hops = [.. result.Hops, new TraceHop(HopKind.PeerTrust, HopStatus.NotEvaluated, "peer", tls.Pointer,
                    $"The peer is not judged: cluster {cluster.Name} connects without TLS, so no certificate is exchanged.")],
            };
        }

        var client = new EnvoySnapshot(self.Origin, self.Sources, self.Bootstrap, self.ServerInfo, self.Listeners, self.RouteConfigs, [cluster],
            self.LoadAssignments, self.Secrets, self.Ecds, self.ClusterStatuses, self.ListenerStatuses, self.AdminCertificates, self.InitTargets,
            self.Stats, self.RawPayloads, self.Diagnostics, self.ConfigDump);
        var comparison = TrustComparison.Compare(new TrustSide("this proxy", client), new TrustSide("the peer", peer), now);
        var verdict = comparison.AToB;

        // Only the chosen cluster's matchers are compared: when they name the peer's trust domain but not its identity, this
        // cluster's connection is refused (certs compare, over every cluster, can only say "if it reaches it through one of them").
        var sanRefuses = verdict.SanMatchersAcceptServer == false
            || (verdict.SanMatchersAcceptServer is null && comparison.IdentityB is not null
                && new[] { cluster.Tls }.Concat(cluster.TransportSocketMatches.Select(m => m.Tls)).OfType<TlsContext>()
                    .SelectMany(t => t.SubjectAltNameMatchers).Any(m => m.Value.StartsWith("spiffe://", StringComparison.OrdinalIgnoreCase)));
        var reasons = new[] { (verdict.ClientAccepts == false, verdict.ClientReason), (verdict.ServerAccepts == false, verdict.ServerReason), (sanRefuses, verdict.SanReason) };
        var refusal = reasons.FirstOrDefault(r => r.Item1).Item2;
        var details = reasons.Select(r => r.Item2).Append(verdict.RbacReason).Where(r => r.Length > 0 && r != refusal).ToList();
        if (refusal is not null)
        {
            var why = "The TLS handshake with the peer would fail: " + refusal;
            return result with
            {
                Hops = [.. result.Hops, new TraceHop(HopKind.PeerTrust, HopStatus.Stopped, "peer", tls.Pointer, why) { Details = details }],
                Verdict = new TraceVerdict(TraceOutcome.Stopped, "UF", null, why) { Cluster = name },
            };
        }

        if (verdict.RbacAdmitsClient == false)
        {
            var why = "The handshake with the peer succeeds, but " + verdict.RbacReason;
            return result with
            {
                Hops = [.. result.Hops, new TraceHop(HopKind.PeerTrust, HopStatus.Stopped, "peer", tls.Pointer, why) { Details = details }],
                Verdict = new TraceVerdict(TraceOutcome.Stopped, null, 403, why) { Cluster = name },
            };
        }

        var status = verdict.CannotTell ? HopStatus.NotEvaluated : HopStatus.Matched;
        var sentence = verdict.CannotTell
            ? "Whether this proxy and the peer accept each other's certificates cannot be told from the captures."
            : "This proxy and the peer accept each other's certificates" + (verdict.SanMatchersAcceptServer == true ? " and the cluster's SAN matchers accept the peer's identity." : ".");
        return result with { Hops = [.. result.Hops, new TraceHop(HopKind.PeerTrust, status, "peer", tls.Pointer, sentence) { Details = details }] };
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
