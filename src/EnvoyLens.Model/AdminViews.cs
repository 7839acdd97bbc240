namespace EnvoyLens.Model;

/// <summary>One cluster of <c>/clusters?format=json</c>: its hosts with their health flags.</summary>
public sealed record ClusterStatus(string Name, bool AddedViaApi, IReadOnlyList<Endpoint> Hosts, IReadOnlyDictionary<string, double> Stats);

/// <summary>One certificate as listed by <c>/certs</c> (computed by the proxy's own clock).</summary>
public sealed record AdminCertificate(
    string Role,
    string? Path,
    string? SerialNumber,
    IReadOnlyList<string> SubjectAltNames,
    long? DaysUntilExpiration,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ExpirationTime);

/// <summary>One entry of <c>/certs</c>: a CA certificate and a certificate chain.</summary>
public sealed record AdminCertificateSet(IReadOnlyList<AdminCertificate> CaCerts, IReadOnlyList<AdminCertificate> CertChain);

/// <summary>One entry of <c>/listeners?format=json</c>.</summary>
public sealed record ListenerStatus(string Name, SocketAddress? LocalAddress, IReadOnlyList<SocketAddress> AdditionalLocalAddresses);

/// <summary>One unready init target from <c>/init_dump</c>.</summary>
public sealed record InitTarget(string Manager, IReadOnlyList<string> Targets);
