using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>EL3105: a cluster's <c>connect_timeout</c> below 100 ms or above 30 s.</summary>
internal sealed class EL3105ConnectTimeoutExtreme : IRule
{
    internal static readonly TimeSpan Low = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan High = TimeSpan.FromSeconds(30);

    public static RuleDescriptor Definition { get; } = new(
        "EL3105",
        "Very low or very high connect_timeout",
        RuleCategory.Config,
        Severity.Warning,
        "Cluster {cluster} has connect_timeout {connect_timeout}: {judgement}",
        "A TCP (and TLS) handshake across zones or under load can take more than 100 ms, so a very low timeout turns slow connects into failures (503 UF, upstream_cx_connect_timeout); a very high one lets requests queue behind dead hosts for that long before Envoy tries another.",
        "Use a connect_timeout between a few hundred milliseconds and a few seconds (Envoy's default is 5s, Istio's 10s; Istio: DestinationRule trafficPolicy.connectionPool.tcp.connectTimeout).",
        RuleInputs.ConfigDump)
    {
        Example = "Cluster api has connect_timeout 0.05s: below 0.1s, slow handshakes will fail",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Snapshot.Clusters.Any(c => c.ConnectTimeout is not null), "no cluster sets connect_timeout");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var cluster in context.Snapshot.Clusters)
        {
            if (cluster.ConnectTimeout is not { } timeout || (timeout >= Low && timeout <= High))
            {
                continue;
            }

            var judgement = timeout < Low
                ? $"below {Walk.Seconds(Low)}, slow handshakes will fail"
                : $"above {Walk.Seconds(High)}, requests wait that long on an unreachable host";
            yield return context.Report(Definition, cluster.Meta.Ref, cluster.Meta.Pointer.Append("connect_timeout"),
                Args.Of(("cluster", cluster.Name), ("connect_timeout", Walk.Seconds(timeout)), ("judgement", judgement)),
                Args.Of(Walk.Istio(cluster.Name, cluster.Metadata)));
        }
    }
}
