namespace EnvoyLens.Model;

/// <summary>
/// What a linkerd2-proxy's <c>/metrics</c> says, normalized: traffic, TCP, authorization, identity, control-plane
/// client and process metrics, and the proxy's version. Every count keeps the labels it was read with
/// (<see cref="LinkerdCount.Labels"/>) beside the ones EnvoyLens names.
/// </summary>
/// <param name="Source">The document it was read from.</param>
/// <param name="Version">The proxy's version (<c>proxy_build_info{version}</c>), when the metrics have it.</param>
/// <param name="BuildInfo">Every label of <c>proxy_build_info</c> (<c>version</c>, <c>git_sha</c>, <c>profile</c>, <c>vendor</c>, ...).</param>
/// <param name="Requests"><c>request_total</c> by direction, authority, target and TLS.</param>
/// <param name="Responses"><c>response_total</c> by direction, authority, target, TLS, status code and classification.</param>
/// <param name="TcpOpens"><c>tcp_open_total</c> by direction, peer, target and TLS.</param>
/// <param name="TcpCloses"><c>tcp_close_total</c> by direction, peer, target, TLS, <c>errno</c> and classification.</param>
/// <param name="Authorizations"><c>inbound_{http,tcp}_authz_{allow,deny}_total</c> by server and authorization policy.</param>
/// <param name="ControlRequests"><c>control_request_total</c> by address and server identity.</param>
/// <param name="ControlResponses"><c>control_response_total</c> by address, server identity, status and classification.</param>
/// <param name="Identity">The identity metrics.</param>
/// <param name="Process">The process metrics.</param>
public sealed record LinkerdProxy(
    string Source,
    string? Version,
    IReadOnlyDictionary<string, string> BuildInfo,
    IReadOnlyList<LinkerdCount> Requests,
    IReadOnlyList<LinkerdCount> Responses,
    IReadOnlyList<LinkerdCount> TcpOpens,
    IReadOnlyList<LinkerdCount> TcpCloses,
    IReadOnlyList<LinkerdAuthorization> Authorizations,
    IReadOnlyList<LinkerdCount> ControlRequests,
    IReadOnlyList<LinkerdCount> ControlResponses,
    LinkerdIdentity Identity,
    LinkerdProcess Process)
{
    /// <summary>When the sample was taken, when known.</summary>
    public DateTimeOffset? CapturedAt { get; init; }

    /// <summary>An earlier sample of the same proxy, when two were captured: counters then speak of the interval between them.</summary>
    public LinkerdProxy? Earlier { get; init; }

    /// <summary>How many samples were read (for sentences: "since the proxy started" or "between the two samples").</summary>
    public string Period => Earlier is null ? "since the proxy started" : "between the two samples";
}

/// <summary>
/// One counter of a linkerd2-proxy with the labels EnvoyLens reads by name. Absent labels are null.
/// </summary>
/// <param name="Metric">The metric name as printed (<c>response_total</c>).</param>
/// <param name="Labels">Every label, sorted by name.</param>
/// <param name="Value">The counter's value.</param>
public sealed record LinkerdCount(string Metric, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary><c>inbound</c> or <c>outbound</c>.</summary>
    public string? Direction => Label("direction");

    /// <summary>The HTTP authority (<c>authority</c>).</summary>
    public string? Authority => Label("authority");

    /// <summary>The target address (<c>target_addr</c>), else the control plane's <c>addr</c>.</summary>
    public string? Target => Label("target_addr") ?? Label("addr");

    /// <summary>The target port (<c>target_port</c>, else the port of <see cref="Target"/>).</summary>
    public string? TargetPort => Label("target_port") ?? (Target is { } t && t.LastIndexOf(':') is var c and > 0 ? t[(c + 1)..] : null);

    /// <summary><c>true</c>, <c>no_identity</c>, <c>disabled</c>, ...</summary>
    public string? Tls => Label("tls");

    /// <summary>The peer's identity for inbound traffic.</summary>
    public string? ClientId => Label("client_id");

    /// <summary>The server's identity for outbound and control-plane traffic.</summary>
    public string? ServerId => Label("server_id") ?? Label("dst_server_id");

    /// <summary>Why the connection was not mTLS (<c>no_tls_from_remote</c>, <c>loopback</c>, ...).</summary>
    public string? NoTlsReason => Label("no_tls_reason");

    public string? StatusCode => Label("status_code");

    /// <summary><c>success</c> or <c>failure</c>.</summary>
    public string? Classification => Label("classification");

    /// <summary>The errno a TCP connection closed with (<c>ECONNREFUSED</c>); null when it closed cleanly.</summary>
    public string? Errno => Label("errno");

    /// <summary>The gRPC status of a control-plane response.</summary>
    public string? GrpcStatus => Label("grpc_status");

    /// <summary>The same labels (the metric and value left out), for matching a count of one sample with another's.</summary>
    public string Key => string.Join(',', Labels.Select(l => l.Key + "=" + l.Value));
}

/// <summary>An inbound authorization counter: allowed or denied, by server and authorization policy.</summary>
/// <param name="Protocol"><c>http</c> or <c>tcp</c>.</param>
/// <param name="Allowed">True for <c>..._allow_total</c>, false for <c>..._deny_total</c>.</param>
/// <param name="Count">The counter with its labels (target, <c>tls</c>, <c>client_id</c>, <c>no_tls_reason</c>).</param>
public sealed record LinkerdAuthorization(string Protocol, bool Allowed, LinkerdCount Count)
{
    /// <summary>The server (<c>srv_kind:srv_name</c> when both are labelled, else <c>srv_name</c>).</summary>
    public string? Server => Count.Label("srv_name") is { } name
        ? Count.Label("srv_kind") is { } kind && !name.Contains(':', StringComparison.Ordinal) ? kind + ":" + name : name
        : null;

    /// <summary>The authorization policy (<c>authz_kind:authz_name</c>, else <c>authz_name</c> or the older <c>saz_name</c>).</summary>
    public string? Policy => (Count.Label("authz_name") ?? Count.Label("saz_name")) is { } name
        ? Count.Label("authz_kind") is { } kind && !name.Contains(':', StringComparison.Ordinal) ? kind + ":" + name : name
        : null;

    /// <summary>The HTTP route, when labelled (<c>route_name</c>).</summary>
    public string? Route => Count.Label("route_name");
}

/// <summary>The identity metrics of a linkerd2-proxy.</summary>
/// <param name="CertificateExpiry"><c>identity_cert_expiration_timestamp_seconds</c> as an instant.</param>
/// <param name="RefreshCount"><c>identity_cert_refresh_count</c>: how many times the proxy obtained a certificate.</param>
public sealed record LinkerdIdentity(DateTimeOffset? CertificateExpiry, double? RefreshCount);

/// <summary>The process metrics of a linkerd2-proxy.</summary>
public sealed record LinkerdProcess(DateTimeOffset? StartTime, double? ResidentMemoryBytes, double? OpenFds, double? MaxFds, double? CpuSeconds);
