using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Model;

namespace EnvoyLens.Certs.Compare;

/// <summary>One side of a comparison: a name for people and its decoded snapshot.</summary>
public sealed record TrustSide(string Name, EnvoySnapshot Snapshot);

/// <summary>One mTLS direction (client → server): who would reject whom, each reason one sentence.</summary>
/// <param name="ClientAccepts">Whether the client accepts the server's certificate (chain to the client's roots, purpose server); null when it cannot be told (a capture without any certificate).</param>
/// <param name="ServerAccepts">Whether the server accepts the client's certificate (chain to the server's roots, purpose client); null when it cannot be told.</param>
/// <param name="SanMatchersAcceptServer">Whether one of the client's SPIFFE SAN matchers matches the server's identity (null when the client has none or it cannot be told).</param>
/// <param name="RbacAdmitsClient">Whether the server's RBAC filters admit the client's SPIFFE ID: false when one denies it, null when the server has none or it cannot be told.</param>
public sealed record HandshakeVerdict(
    string Client,
    string Server,
    bool? ClientAccepts,
    string ClientReason,
    bool? ServerAccepts,
    string ServerReason,
    bool? SanMatchersAcceptServer,
    string SanReason,
    bool? RbacAdmitsClient = null,
    string RbacReason = "")
{
    /// <summary>The TLS handshake itself: both chains accepted and the client's SAN matchers satisfied.</summary>
    public bool HandshakeSucceeds => ClientAccepts == true && ServerAccepts == true && SanMatchersAcceptServer != false;

    /// <summary>The handshake succeeds and the server's RBAC (checked after it) admits the client.</summary>
    public bool Succeeds => HandshakeSucceeds && RbacAdmitsClient != false;

    /// <summary>Something is known to make this direction fail: a side rejects the other's certificate, a SAN matcher or RBAC refuses.</summary>
    public bool Fails => ClientAccepts == false || ServerAccepts == false || SanMatchersAcceptServer == false || RbacAdmitsClient == false;

    /// <summary>Nothing is known to fail, but whether the certificates would be accepted cannot be told.</summary>
    public bool CannotTell => !Fails && (ClientAccepts is null || ServerAccepts is null);
}

/// <summary>The answer of <c>certs compare</c>: shared anchors and both directions.</summary>
public sealed record TrustComparisonResult(
    string A,
    string B,
    string? IdentityA,
    string? IdentityB,
    IReadOnlyList<CertificateInfo> SharedAnchors,
    IReadOnlyList<CertificateInfo> OnlyA,
    IReadOnlyList<CertificateInfo> OnlyB,
    HandshakeVerdict AToB,
    HandshakeVerdict BToA,
    IReadOnlyList<string> Notes);

/// <summary>
/// Compares the trust of two proxies (istioctl rootca-compare, generalized): shared trust anchors, and for each
/// direction whether the client accepts the server's leaf and the server the client's, and whether the client's SPIFFE
/// SAN matchers match the server's identity.
/// </summary>
public static class TrustComparison
{
    public static TrustComparisonResult Compare(TrustSide a, TrustSide b, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var ia = CertificateInventory.From(a.Snapshot);
        var ib = CertificateInventory.From(b.Snapshot);
        var rootsA = ia.TrustedCas;
        var rootsB = ib.TrustedCas;
        var fa = rootsA.Select(c => c.Sha256Fingerprint).ToHashSet(StringComparer.Ordinal);
        var fb = rootsB.Select(c => c.Sha256Fingerprint).ToHashSet(StringComparer.Ordinal);
        var notes = new List<string>
        {
            "RBAC permissions (ports, paths, methods) are not evaluated: each RBAC policy is taken to cover the request.",
        };
        return new TrustComparisonResult(
            a.Name,
            b.Name,
            ia.WorkloadChain?.Leaf?.SpiffeId,
            ib.WorkloadChain?.Leaf?.SpiffeId,
            rootsA.Where(c => fb.Contains(c.Sha256Fingerprint)).ToList(),
            rootsA.Where(c => !fb.Contains(c.Sha256Fingerprint)).ToList(),
            rootsB.Where(c => !fa.Contains(c.Sha256Fingerprint)).ToList(),
            Direction(a, ia, b, ib, at),
            Direction(b, ib, a, ia, at),
            notes);
    }

    /// <summary>Whether a capture holds no certificate at all (no SDS secret, trust bundle or inline TLS certificate): then nothing can be told about its side of a handshake.</summary>
    public static bool HoldsNoCertificate(CertificateInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return inventory.Groups.All(g => g.Certificates.Count == 0 && g.Problems.Count == 0);
    }

    private static string Empty(string name) =>
        $"{name}'s capture holds no certificate at all (no SDS secret, trust bundle or inline TLS certificate; was /config_dump captured with its secrets?)";

    private static HandshakeVerdict Direction(TrustSide client, CertificateInventory clientInv, TrustSide server, CertificateInventory serverInv, DateTimeOffset at)
    {
        var clientEmpty = HoldsNoCertificate(clientInv);
        var serverEmpty = HoldsNoCertificate(serverInv);
        var (clientAccepts, clientReason) = clientEmpty || serverEmpty
            ? ((bool?)null, $"Cannot tell whether {client.Name} accepts {server.Name}'s certificate: {Empty(clientEmpty ? client.Name : server.Name)}.")
            : Accepts(client.Name, clientInv.TrustedCas, server.Name, serverInv.WorkloadChain, CertificatePurpose.Server, at);
        var (serverAccepts, serverReason) = clientEmpty || serverEmpty
            ? ((bool?)null, $"Cannot tell whether {server.Name} accepts {client.Name}'s certificate: {Empty(serverEmpty ? server.Name : client.Name)}.")
            : Accepts(server.Name, serverInv.TrustedCas, client.Name, clientInv.WorkloadChain, CertificatePurpose.Client, at);
        var serverId = serverInv.WorkloadChain?.Leaf?.SpiffeId;
        var matchers = client.Snapshot.Clusters
            .SelectMany(c => new[] { c.Tls }.Concat(c.TransportSocketMatches.Select(m => m.Tls)).OfType<TlsContext>().SelectMany(t => t.SubjectAltNameMatchers).Select(m => (Cluster: c.Name, Matcher: m)))
            .Where(x => x.Matcher.Value.StartsWith("spiffe://", StringComparison.OrdinalIgnoreCase))
            .ToList();
        bool? sanOk;
        string sanReason;
        if (matchers.Count == 0)
        {
            sanOk = null;
            sanReason = $"{client.Name} has no SPIFFE SAN matcher on any cluster, so it does not restrict the server identity.";
        }
        else if (serverId is null && serverEmpty)
        {
            sanOk = null;
            sanReason = $"Cannot tell whether {client.Name}'s {matchers.Count} SPIFFE SAN matchers accept {server.Name}'s identity: {Empty(server.Name)}.";
        }
        else if (serverId is null)
        {
            sanOk = false;
            sanReason = $"{server.Name} presents no SPIFFE ID, so none of {client.Name}'s {matchers.Count} SPIFFE SAN matchers can match.";
        }
        else
        {
            var hits = matchers.Where(x => Matches(x.Matcher, serverId)).Select(x => x.Cluster).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var serverDomain = Spiffe.SpiffeId.TryParse(serverId, out _)?.TrustDomain;
            var sameDomain = matchers.Any(x => TrustDomainOf(x.Matcher.Value) == serverDomain);
            if (hits.Count > 0)
            {
                sanOk = true;
                sanReason = $"{client.Name}'s cluster {hits[0]}{(hits.Count > 1 ? $" (and {hits.Count - 1} more)" : "")} expects '{serverId}', which {server.Name} presents.";
            }
            else if (!sameDomain)
            {
                sanOk = false;
                sanReason = $"All of {client.Name}'s {matchers.Count} SPIFFE SAN matchers (e.g. {matchers[0].Matcher} on cluster {matchers[0].Cluster}) expect another trust domain than '{serverDomain}' of {server.Name}'s identity '{serverId}'; {client.Name} would reject {server.Name}.";
            }
            else
            {
                sanOk = null;
                sanReason = $"No cluster of {client.Name} expects {server.Name}'s identity '{serverId}' ({matchers.Count} SPIFFE SAN matchers, e.g. {matchers[0].Matcher} on cluster {matchers[0].Cluster}); if {client.Name} reaches {server.Name} through one of them, it would reject {server.Name}.";
            }
        }

        var (rbacOk, rbacReason) = Rbac(client.Name, clientInv.WorkloadChain?.Leaf?.SpiffeId, server);
        return new HandshakeVerdict(client.Name, server.Name, clientAccepts, clientReason, serverAccepts, serverReason, sanOk, sanReason, rbacOk, rbacReason);
    }

    /// <summary>Whether the server's RBAC filters admit the client's SPIFFE ID, and which policy denies it.</summary>
    private static (bool?, string) Rbac(string client, string? clientId, TrustSide server)
    {
        var filters = RbacEvaluation.Filters(server.Snapshot).ToList();
        if (filters.Count == 0)
        {
            return (null, $"{server.Name} has no RBAC filter, so it does not restrict {client}'s identity.");
        }

        if (clientId is null)
        {
            return (null, $"{client} presents no SPIFFE ID, so {server.Name}'s {filters.Count} RBAC filters cannot be evaluated against it.");
        }

        var decisions = filters.Select(f => RbacEvaluation.Evaluate(f, clientId)).ToList();
        var denies = decisions.Where(d => d.Admits == false).ToList();
        if (denies.Count > 0)
        {
            var more = denies.Count > 1 ? $" ({denies.Count} of {decisions.Count} RBAC filters deny it)" : "";
            return (false, $"{server.Name}'s RBAC would deny {client}'s identity '{clientId}': {denies[0].Reason}{more}.");
        }

        var unknown = decisions.FirstOrDefault(d => d.Admits is null);
        return unknown is not null
            ? (null, $"{server.Name}'s RBAC may or may not admit {client}'s identity '{clientId}': {unknown.Reason}.")
            : (true, $"{server.Name}'s {decisions.Count} RBAC filters admit {client}'s identity '{clientId}' (e.g. {decisions[0].Reason}).");
    }

    private static (bool?, string) Accepts(string verifier, IReadOnlyList<CertificateInfo> roots, string presenter, CertificateGroup? chain, CertificatePurpose purpose, DateTimeOffset at)
    {
        if (chain?.Leaf is not { } leaf)
        {
            return (false, $"{presenter} has no workload certificate to present, so {verifier} would reject it.");
        }

        if (roots.Count == 0)
        {
            return (false, $"{verifier} trusts no CA (no validation context), so it would reject {presenter}'s certificate.");
        }

        var result = PathValidator.Verify(new VerifyRequest(leaf, roots, chain.Certificates.Skip(1).ToList(), at, purpose));
        return result.Valid
            ? (true, $"{verifier} accepts {presenter}'s certificate {leaf.Label}: it chains to {result.Chain[^1].Label}.")
            : (false, $"{verifier} would reject {presenter}'s certificate: {result.Reason}");
    }

    /// <summary>Whether an Envoy string matcher matches <paramref name="value"/> (the model's <see cref="RbacLogic.Matches(StringMatch, string)"/>).</summary>
    public static bool Matches(StringMatch matcher, string value) => RbacLogic.Matches(matcher, value);

    /// <summary>The trust domain named by a matcher value (<c>spiffe://td/...</c>, or a prefix that includes the domain).</summary>
    internal static string? TrustDomainOf(string value)
    {
        var rest = value["spiffe://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? rest[..slash] : null;
    }
}
