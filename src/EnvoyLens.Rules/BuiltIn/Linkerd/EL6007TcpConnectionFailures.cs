using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6007: TCP connections closed with an errno (refused, reset, timed out), by direction, target and errno.</summary>
internal sealed class EL6007TcpConnectionFailures : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6007",
        Title = "TCP connection failures",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "{count} {direction} TCP connections to {target} closed with {errno} {period}",
        Rationale = "tcp_close_total carries the errno a connection ended with: ECONNREFUSED means nothing listens on the port, ECONNRESET that the peer dropped it, ETIMEDOUT that it is unreachable. Outbound, clients see failed requests; inbound, the application in the pod is not accepting connections.",
        Remediation = "For ECONNREFUSED check that the application listens on the target port (and on 0.0.0.0, not only localhost for inbound); for ETIMEDOUT NetworkPolicies and routing; for ECONNRESET the peer's logs.",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "4 outbound TCP connections to 10.42.0.70:8080 closed with ECONNREFUSED since the proxy started",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => LinkerdRule.AppliesTo(context) is { Applies: false } no ? no
        : Applicability.When(context.Linkerd!.TcpCloses.Count > 0, "the metrics have no tcp_close_total");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var linkerd = context.Linkerd!;
        var earlier = linkerd.Earlier?.TcpCloses;
        var failures = linkerd.TcpCloses.Where(c => c.Errno is not null)
            .GroupBy(c => (Direction: c.Direction ?? "unknown-direction", Target: c.Target ?? "(unknown target)", Errno: c.Errno!))
            .OrderBy(g => g.Key.Direction, StringComparer.Ordinal).ThenBy(g => g.Key.Target, StringComparer.Ordinal).ThenBy(g => g.Key.Errno, StringComparer.Ordinal);
        foreach (var group in failures)
        {
            var count = group.Sum(c => LinkerdRule.Increase(c, earlier));
            if (count > 0)
            {
                yield return LinkerdRule.Report(context, Definition, group.Key.Target,
                    Args.Of(("count", LinkerdRule.Number(count)), ("direction", group.Key.Direction), ("target", group.Key.Target), ("errno", group.Key.Errno), ("period", linkerd.Period)));
            }
        }
    }
}
