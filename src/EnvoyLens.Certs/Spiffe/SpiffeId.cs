namespace EnvoyLens.Certs.Spiffe;

/// <summary>A parsed SPIFFE ID <c>spiffe://trust-domain/path</c>.</summary>
public sealed record SpiffeId(string TrustDomain, string Path)
{
    private const string Scheme = "spiffe://";

    public override string ToString() => "spiffe://" + TrustDomain + Path;

    /// <summary>Istio's form <c>/ns/NAMESPACE/sa/SERVICE_ACCOUNT</c>: the namespace and service account, or nulls.</summary>
    public (string? Namespace, string? ServiceAccount) IstioIdentity
    {
        get
        {
            var parts = Path.Split('/', StringSplitOptions.None);
            return parts.Length == 5 && parts[1] == "ns" && parts[3] == "sa" ? (parts[2], parts[4]) : (null, null);
        }
    }

    /// <summary>
    /// The trust domain a SPIFFE ID or a SAN matcher value names, leniently: <c>spiffe://cluster.local/ns/x/sa/y</c> or
    /// the prefix <c>spiffe://Cluster.Local/ns/</c> → <c>cluster.local</c> (lowercase, any case of the scheme); null for
    /// other names and for an empty domain. Use <see cref="TryParse"/> to judge whether an ID is well-formed.
    /// </summary>
    public static string? TrustDomainOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = value[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var domain = slash < 0 ? rest : rest[..slash];
        return domain.Length == 0 ? null : domain.ToLowerInvariant();
    }

    /// <summary>
    /// Parses per the SPIFFE ID specification: scheme <c>spiffe</c>, a non-empty lowercase trust domain of
    /// <c>[a-z0-9.-_]</c> (no port or userinfo), a path of non-empty segments of <c>[A-Za-z0-9.-_]</c> that are not
    /// <c>.</c> or <c>..</c>, no trailing slash, query or fragment. Returns null and the reason when malformed.
    /// </summary>
    public static SpiffeId? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "it is empty";
            return null;
        }

        if (!text.StartsWith(Scheme, StringComparison.Ordinal))
        {
            error = text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? "the scheme must be lowercase 'spiffe'" : "the scheme is not spiffe://";
            return null;
        }

        var rest = text[Scheme.Length..];
        if (rest.Contains('?', StringComparison.Ordinal) || rest.Contains('#', StringComparison.Ordinal))
        {
            error = "it has a query or fragment";
            return null;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var domain = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[slash..];
        if (domain.Length == 0)
        {
            error = "the trust domain is empty";
            return null;
        }

        if (domain.Contains('@', StringComparison.Ordinal))
        {
            error = "the trust domain has userinfo";
            return null;
        }

        if (domain.Contains(':', StringComparison.Ordinal))
        {
            error = "the trust domain has a port";
            return null;
        }

        foreach (var c in domain)
        {
            if (c is >= 'A' and <= 'Z')
            {
                error = "the trust domain is not lowercase";
                return null;
            }

            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_'))
            {
                error = $"the trust domain has the character '{c}'";
                return null;
            }
        }

        if (path.Length > 0)
        {
            if (path.EndsWith('/'))
            {
                error = "the path ends with '/'";
                return null;
            }

            foreach (var segment in path[1..].Split('/'))
            {
                if (segment.Length == 0)
                {
                    error = "the path has an empty segment";
                    return null;
                }

                if (segment is "." or "..")
                {
                    error = $"the path has a '{segment}' segment";
                    return null;
                }

                foreach (var c in segment)
                {
                    if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '-' or '_'))
                    {
                        error = $"the path has the character '{c}'";
                        return null;
                    }
                }
            }
        }

        return new SpiffeId(domain, path);
    }
}
