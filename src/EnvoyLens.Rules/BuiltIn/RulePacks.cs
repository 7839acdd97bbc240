using EnvoyLens.Certs.Checks;
using EnvoyLens.Rules.BuiltIn.Certificates;
using EnvoyLens.Rules.BuiltIn.Config;
using EnvoyLens.Rules.BuiltIn.Linkerd;
using EnvoyLens.Rules.BuiltIn.References;
using EnvoyLens.Rules.BuiltIn.State;
using EnvoyLens.Rules.BuiltIn.Stats;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn;

/// <summary>
/// The rule packs of EnvoyLens, each an explicit list ordered by id, and the <see cref="Catalog"/> they make. A new
/// rule is one line in its pack; a test fails when a rule type of this assembly is in no pack.
/// </summary>
public static class RulePacks
{
    /// <summary>References, state, configuration and stats rules (EL1xxx, EL2xxx, EL3xxx, EL5xxx).</summary>
    public static RulePack BuiltIn { get; } = new("built-in",
    [
        new EL1001MissingRouteConfig(),
        new EL1002RouteMissingCluster(),
        new EL1003NetworkFilterMissingCluster(),
        new EL1004EdsClusterWithoutEndpoints(),
        new EL1005NoHealthyEndpoints(),
        new EL1006AggregateClusterChildren(),
        new EL1007TlsSecretMissing(),
        new EL1008EcdsConfigMissing(),
        new EL1009VirtualHostWithoutUpstream(),
        new EL2001WarmingResource(),
        new EL2002RejectedUpdate(),
        new EL2003XdsUpdateRejectedStats(),
        new EL2004ControlPlaneDisconnected(),
        new EL2005ServerNotLive(),
        new EL2006ProxyVersionSkew(),
        new EL2007ControlPlaneNack(),
        new EL2008ControlPlaneStale(),
        new EL2009ControlPlaneVersionSkew(),
        new EL3001DuplicateListenerAddress(),
        new EL3002DuplicateFilterChainMatch(),
        new EL3003RouterFilterNotLast(),
        new EL3004DuplicateVirtualHostDomain(),
        new EL3005ShadowedRoute(),
        new EL3006RouteTimeoutDisabled(),
        new EL3007RetriesExceedRouteTimeout(),
        new EL3008InboundPortDeniesEveryone(),
        new EL3101UpstreamTlsWithoutVerification(),
        new EL3102SanTrustDomainMismatch(),
        new EL3103OutlierEjectsAllHosts(),
        new EL3104DefaultCircuitBreakers(),
        new EL3105ConnectTimeoutExtreme(),
        new EL5001UpstreamConnectFailures(),
        new EL5002TlsFailures(),
        new EL5003CircuitBreakingObserved(),
        new EL5004OutlierEjectionsActive(),
        new EL5005RequestsWithoutRouteOrHost(),
    ]);

    /// <summary>The certificate rules (EL4xxx) with the default thresholds.</summary>
    public static RulePack Certificates { get; } = CertificatesWith(CertificatePolicy.Default);

    /// <summary>The Linkerd rules (EL6xxx): what a linkerd2-proxy's /metrics says.</summary>
    public static RulePack Linkerd { get; } = new("linkerd",
    [
        new EL6001IdentityCertificateExpired(),
        new EL6002IdentityCertificateExpiring(),
        new EL6003IdentityCertificateNotRefreshed(),
        new EL6004InboundDeniedByPolicy(),
        new EL6005TrafficWithoutIdentity(),
        new EL6006ControlPlaneRequestsFailing(),
        new EL6007TcpConnectionFailures(),
        new EL6008HttpFailureShare(),
        new EL6009OpenFdsNearLimit(),
    ]);

    /// <summary>Every pack, composed into the one catalog the CLI runs and documents.</summary>
    public static RuleCatalog Catalog { get; } = new([BuiltIn, Certificates, Linkerd]);

    /// <summary>The certificate rules with the given thresholds.</summary>
    public static RulePack CertificatesWith(CertificatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new("certificates",
        [
            new EL4001CertificateExpired(),
            new EL4002CertificateNotYetValid(),
            new EL4003WorkloadRotationOverdue(policy),
            new EL4004CaExpiringSoon(policy),
            new EL4005WorkloadChainUntrusted(),
            new EL4006SpiffeIdentityMismatch(),
            new EL4007SvidNonconformant(),
            new EL4008WeakCertificate(policy),
            new EL4009ProxyClockOffset(policy),
            new EL4010CertificateUnreadable(),
            new EL4011RbacTrustDomainMismatch(),
        ]);
    }
}
