using EnvoyLens.Certs.Parsing;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Certs.Inventory;

/// <summary>What a group of certificates is for: a certificate chain the proxy presents, or CAs it trusts.</summary>
public enum CertificateRole
{
    Chain,
    TrustedCa,
}

/// <summary>
/// The certificates of one place in a snapshot, in block order: an SDS secret's chain or trust bundle, or an inline
/// TLS context of a cluster or listener. <see cref="Source"/> is how people name it (<c>secret default</c>).
/// </summary>
public sealed record CertificateGroup(
    string Source,
    ResourceRef? Resource,
    JsonPointer Pointer,
    CertificateRole Role,
    string? SecretName,
    ResourceState State,
    IReadOnlyList<CertificateInfo> Certificates,
    IReadOnlyList<CertificateProblem> Problems)
{
    /// <summary>The first certificate of a chain (the one presented).</summary>
    public CertificateInfo? Leaf => Role == CertificateRole.Chain && Certificates.Count > 0 && Certificates[0].Index == 0 ? Certificates[0] : null;
}

/// <summary>Every certificate of a snapshot, grouped by where it sits; parsing problems stay with their group.</summary>
public sealed class CertificateInventory
{
    private CertificateInventory(IReadOnlyList<CertificateGroup> groups) => Groups = groups;

    public IReadOnlyList<CertificateGroup> Groups { get; }

    public IEnumerable<CertificateProblem> Problems => Groups.SelectMany(g => g.Problems);

    /// <summary>Chains from active TLS-certificate secrets and inline contexts.</summary>
    public IEnumerable<CertificateGroup> Chains => Groups.Where(g => g.Role == CertificateRole.Chain);

    /// <summary>Every trusted CA of the proxy (validation context secrets, inline trusted CAs and SPIFFE trust bundles).</summary>
    public IReadOnlyList<CertificateInfo> TrustedCas =>
        Groups.Where(g => g.Role == CertificateRole.TrustedCa && g.State == ResourceState.Active).SelectMany(g => g.Certificates)
            .DistinctBy(c => c.Sha256Fingerprint).ToList();

    /// <summary>The proxy's own workload chain: the active secret named <c>default</c> when there is one, else the first active chain secret.</summary>
    public CertificateGroup? WorkloadChain =>
        Groups.FirstOrDefault(g => g.Role == CertificateRole.Chain && g.SecretName == "default" && g.State == ResourceState.Active)
        ?? Groups.FirstOrDefault(g => g.Role == CertificateRole.Chain && g.SecretName is not null && g.State == ResourceState.Active && g.Certificates.Count > 0);

    public static CertificateInventory From(EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var groups = new List<CertificateGroup>();
        foreach (var secret in snapshot.Secrets.OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Meta.State))
        {
            var suffix = secret.Meta.State == ResourceState.Active ? "" : $" ({secret.Meta.State.ToString().ToLowerInvariant()})";
            var source = $"secret {secret.Name}{suffix}";
            if (secret.CertificateChainPem.Count > 0)
            {
                groups.Add(Group(source, secret.Meta.Ref, secret.Pointer, CertificateRole.Chain, secret.Name, secret.Meta.State, secret.CertificateChainPem));
            }

            if (secret.TrustedCaPem.Count > 0)
            {
                groups.Add(Group(source, secret.Meta.Ref, secret.Pointer, CertificateRole.TrustedCa, secret.Name, secret.Meta.State, secret.TrustedCaPem));
            }

            AddTrustBundles(groups, source, secret.Meta.Ref, secret.Meta.State, secret.Name, secret.SpiffeTrustBundles);
        }

        foreach (var cluster in snapshot.Clusters)
        {
            var contexts = new[] { cluster.Tls }.Concat(cluster.TransportSocketMatches.Select(m => m.Tls)).OfType<TlsContext>().DistinctBy(t => t.Pointer.Value);
            foreach (var tls in contexts)
            {
                AddInline(groups, $"cluster {cluster.Name}", cluster.Meta.Ref, cluster.Meta.State, tls);
            }
        }

        foreach (var listener in snapshot.Listeners)
        {
            foreach (var chain in listener.AllFilterChains.Where(f => f.DownstreamTls is not null))
            {
                AddInline(groups, $"listener {listener.Name} chain {chain.Name ?? chain.Pointer.Value}", listener.Meta.Ref, listener.Meta.State, chain.DownstreamTls!);
            }
        }

        return new CertificateInventory(groups);
    }

    /// <summary>Groups read from files (for <c>certs inspect</c> and friends).</summary>
    public static CertificateGroup FromFile(string path, CertificateRole role = CertificateRole.Chain)
    {
        var read = CertificateReader.ReadFile(path);
        return new CertificateGroup(path, null, JsonPointer.Root, role, null, ResourceState.Active, read.Certificates, read.Problems);
    }

    private static void AddInline(List<CertificateGroup> groups, string source, ResourceRef resource, ResourceState state, TlsContext tls)
    {
        if (tls.InlineCertificateChains.Count > 0)
        {
            groups.Add(Group(source + " (inline certificate)", resource, tls.Pointer, CertificateRole.Chain, null, state, tls.InlineCertificateChains));
        }

        if (tls.InlineTrustedCas.Count > 0)
        {
            groups.Add(Group(source + " (inline trusted CA)", resource, tls.Pointer, CertificateRole.TrustedCa, null, state, tls.InlineTrustedCas));
        }

        AddTrustBundles(groups, source, resource, state, null, tls.SpiffeTrustBundles);
    }

    /// <summary>SPIFFE trust bundles (one per trust domain) are trusted CAs like an inline or SDS trusted CA.</summary>
    private static void AddTrustBundles(List<CertificateGroup> groups, string source, ResourceRef resource, ResourceState state, string? secretName, IReadOnlyList<SpiffeTrustBundle> bundles)
    {
        foreach (var bundle in bundles.Where(b => !string.IsNullOrEmpty(b.BundlePem)))
        {
            groups.Add(Group($"trust bundle {bundle.TrustDomain} ({source})", resource, bundle.Pointer, CertificateRole.TrustedCa, secretName, state, [bundle.BundlePem!]));
        }
    }

    private static CertificateGroup Group(string source, ResourceRef? resource, JsonPointer pointer, CertificateRole role, string? secretName, ResourceState state, IReadOnlyList<string> pem)
    {
        var read = CertificateReader.ReadPem(string.Join("\n", pem), source);
        return new CertificateGroup(source, resource, pointer, role, secretName, state, read.Certificates, read.Problems);
    }
}
