using System.Globalization;
using System.Runtime.CompilerServices;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

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
