using EnvoyLens.Model;

namespace EnvoyLens.Rules.Engine;

/// <summary>SPIFFE trust domains: the proxy's own, and the one a SPIFFE ID or matcher value names.</summary>
public static class TrustDomains
{
    /// <summary>
    /// The proxy's trust domain and where it was read: the SPIFFE id of its certificate in <c>/certs</c>, else Istio's
    /// MESH_ID node metadata; null when neither is there.
    /// </summary>
    public static (string Domain, string From)? Own(EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var fromCerts = snapshot.AdminCertificates.SelectMany(s => s.CertChain).SelectMany(c => c.SubjectAltNames)
            .Select(Of).FirstOrDefault(d => d is not null);
        if (fromCerts is not null)
        {
            return (fromCerts, "the SPIFFE id of the proxy's certificate (/certs)");
        }

        return snapshot.Node?.MetadataString("MESH_ID") is { Length: > 0 } mesh ? (mesh, "node metadata MESH_ID") : null;
    }

    /// <summary><c>spiffe://cluster.local/ns/x/sa/y</c> → <c>cluster.local</c> (lowercase); null for other names.</summary>
    public static string? Of(string san)
    {
        ArgumentNullException.ThrowIfNull(san);
        const string scheme = "spiffe://";
        if (!san.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = san[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var domain = slash < 0 ? rest : rest[..slash];
        return domain.Length == 0 ? null : domain.ToLowerInvariant();
    }
}
