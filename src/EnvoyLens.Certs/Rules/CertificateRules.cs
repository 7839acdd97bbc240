using System.Globalization;
using System.Runtime.CompilerServices;
using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Certs.Rules;

/// <summary>The certificate rule pack (EL4xxx), to run with <see cref="RuleRunner"/> beside the built-in rules.</summary>
public static class CertificateRules
{
    /// <summary>Every certificate rule with the default thresholds.</summary>
    public static IReadOnlyList<IRule> All { get; } = Create(CertificatePolicy.Default);

    /// <summary>Every certificate rule with the given thresholds.</summary>
    public static IReadOnlyList<IRule> Create(CertificatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return
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
        ];
    }
}

/// <summary>Shared helpers of the certificate rules: one inventory per snapshot, argument shapes.</summary>
internal static class CertRule
{
    private static readonly ConditionalWeakTable<Model.EnvoySnapshot, CertificateInventory> Cache = [];

    public static CertificateInventory Inventory(RuleContext context) =>
        Cache.GetValue(context.Snapshot, CertificateInventory.From);

    public static IEnumerable<(CertificateGroup Group, CertificateInfo Certificate)> All(RuleContext context) =>
        Inventory(context).Groups.SelectMany(g => g.Certificates.Select(c => (g, c)));

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyDictionary<string, string> Evidence(CertificateGroup group, CertificateInfo c) => Args.Of(
        ("source", group.Source), ("block", Index(c.Index)), ("serial", c.SerialNumberHex), ("subject", c.Subject),
        ("notBefore", Time(c.NotBefore)), ("notAfter", Time(c.NotAfter)), ("sha256", c.Sha256Fingerprint));

    public static Applicability AnyCertificate(RuleContext context) =>
        Applicability.When(Inventory(context).Groups.Any(g => g.Certificates.Count > 0), "the capture holds no certificates");
}
