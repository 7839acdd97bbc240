using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;

namespace EnvoyLens.Rules.Engine;

/// <summary>
/// The built-in rules, listed explicitly and ordered by id. Nothing is found by reflection, so a trimmed or Native AOT
/// build runs exactly the rules a JIT build runs; a test fails when a rule type of this assembly is missing here.
/// </summary>
public static class RuleCatalog
{
    public static IReadOnlyList<IRule> BuiltIn { get; } =
    [
        new EL1001MissingRouteConfig(),
        new EL1002RouteMissingCluster(),
        new EL1003NetworkFilterMissingCluster(),
        new EL1004EdsClusterWithoutEndpoints(),
        new EL1005NoHealthyEndpoints(),
        new EL1006AggregateClusterChildren(),
        new EL1007TlsSecretMissing(),
        new EL1008EcdsConfigMissing(),
        new EL2001WarmingResource(),
        new EL2002RejectedUpdate(),
        new EL2003XdsUpdateRejectedStats(),
        new EL2004ControlPlaneDisconnected(),
        new EL2005ServerNotLive(),
        new EL2006ProxyVersionSkew(),
        new EL3001DuplicateListenerAddress(),
        new EL3002DuplicateFilterChainMatch(),
        new EL3003RouterFilterNotLast(),
        new EL3004DuplicateVirtualHostDomain(),
        new EL3005ShadowedRoute(),
        new EL3006RouteTimeoutDisabled(),
        new EL3007RetriesExceedRouteTimeout(),
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
    ];

    /// <summary>Every descriptor users can see: the built-in rules plus the engine's own internal-error descriptor.</summary>
    public static IReadOnlyList<RuleDescriptor> Descriptors { get; } =
        [InternalErrorRule.Descriptor, .. BuiltIn.Select(r => r.Descriptor)];

    public static RuleDescriptor? Find(string id) =>
        Descriptors.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));
}
