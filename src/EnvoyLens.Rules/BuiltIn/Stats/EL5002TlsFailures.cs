using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Stats;

/// <summary>EL5002: TLS handshakes failed, per cluster (upstream) or listener (downstream).</summary>
internal sealed class EL5002TlsFailures : IRule
{
    private static readonly string[] Counters =
        ["ssl.connection_error", "ssl.fail_verify_san", "ssl.fail_verify_error", "ssl.fail_verify_no_cert", "ssl.fail_verify_cert_hash"];

    public static RuleDescriptor Definition { get; } = new(
        "EL5002",
        "TLS handshake failures",
        RuleCategory.Stats,
        Severity.Warning,
        "{scope} {owner} had TLS failures {period}: {counters}",
        "fail_verify_san means the peer's certificate names another identity than the SAN matchers expect; fail_verify_error an untrusted or expired chain; fail_verify_no_cert a peer without a client certificate (mTLS to a plaintext or PERMISSIVE peer); connection_error other handshake errors.",
        "Compare the SANs and trust domain the cluster expects (EL3102) with the peer's certificate (envoylens certs), check both sides use the same root of trust, and for fail_verify_no_cert the peer's mTLS mode.",
        RuleInputs.Stats | RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "Listener 0.0.0.0_8080 had TLS failures since the proxy started: ssl.fail_verify_no_cert 4",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => StatsRule.AppliesTo(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var names = StatsNames.For(context);
        var wanted = Counters.SelectMany(c => new[] { (StatScope.Cluster, c, "upstream"), (StatScope.Listener, c, "downstream") }).ToArray();
        foreach (var (first, hits) in StatsRule.Counters(context, names, wanted))
        {
            yield return StatsRule.Report(context, names, Definition, first,
                Args.Of(("scope", first.Scope.ToString()), ("owner", first.Owner), ("period", hits[0].Reading.Period), ("counters", StatsRule.List(hits))),
                [("side", hits[0].Meaning), .. hits.Select(h => (h.Stat.Stat.Name, Walk.Number(h.Stat.Stat.Value ?? 0)))]);
        }
    }
}
