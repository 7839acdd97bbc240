using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// <c>istioctl proxy-config secret</c>: one row per secret, showing its first certificate (a secret whose validation
/// context is a SPIFFE certificate validator has one row per trust domain, showing the first CA of that domain's
/// bundle). Warming secrets come first, then the others in dump order. VALID CERT is whether the certificate is
/// within its validity period at the clock's instant; SERIAL NUMBER is printed as openssl prints it
/// (<see cref="SerialNumbers"/>). TRUST DOMAIN is shown, as istioctl shows it, only when every row has one (from the
/// SPIFFE validator, else from the certificate's <c>spiffe://</c> URI). CHAIN is the number of certificates and the
/// worst status among them (INVALID, EXPIRED, NOT YET VALID, VALID); in JSON, the status of each certificate in order.
/// With <c>chain</c>, every certificate has its own row and CHAIN gives way to POSITION (0-based). A secret without
/// certificates (a warming one, say) has one row with VALID CERT false and empty certificate cells; a PEM block that
/// does not parse as a certificate has SERIAL NUMBER <c>&lt;invalid&gt;</c>.
/// </summary>
public static class SecretsView
{
    private static readonly Column TrustDomainColumn = new("TRUST DOMAIN", "trustDomain");
    private static readonly Column ChainColumn = new("CHAIN", "chain");
    private static readonly Column PositionColumn = new("POSITION", "position");

    /// <summary>The istioctl columns every layout starts with.</summary>
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("RESOURCE NAME", "resourceName"),
        new("TYPE", "type"),
        new("STATUS", "status"),
        new("VALID CERT", "validCert"),
        new("SERIAL NUMBER", "serialNumber"),
        new("NOT AFTER", "notAfter"),
        new("NOT BEFORE", "notBefore"),
    ];

    /// <summary>The certificates of one row group: a secret, or one trust domain of a secret's SPIFFE validator.</summary>
    private sealed record Group(Secret Secret, string? TrustDomain, IReadOnlyList<Parsed?> Certificates);

    /// <summary>One PEM block that parsed (an unparsable one is null).</summary>
    private sealed record Parsed(string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string? TrustDomain);

    public static Table Build(EnvoySnapshot snapshot, TimeProvider clock, bool chain = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(clock);
        var at = clock.GetUtcNow();
        var groups = snapshot.Secrets.Where(s => s.Meta.State == ResourceState.Warming)
            .Concat(snapshot.Secrets.Where(s => s.Meta.State != ResourceState.Warming))
            .SelectMany(GroupsOf)
            .ToList();
        var showTrustDomain = groups.Count > 0 && groups.All(g => TrustDomainOf(g) is not null);
        var columns = Columns.Concat(showTrustDomain ? [TrustDomainColumn] : []).Append(chain ? PositionColumn : ChainColumn).ToList();
        var rows = new List<IReadOnlyList<Cell>>();
        foreach (var group in groups)
        {
            var shared = new List<Cell>
            {
                Cell.Of(group.Secret.Name),
                Cell.Of(TypeText(group.Secret.Type)),
                Cell.Of(group.Secret.Meta.State.ToString().ToUpperInvariant()),
            };
            if (!chain)
            {
                var first = group.Certificates.Count > 0 ? group.Certificates[0] : null;
                var statuses = group.Certificates.Select(c => StatusOf(c, at)).ToList();
                var summary = statuses.Count == 0
                    ? "0"
                    : string.Create(CultureInfo.InvariantCulture, $"{statuses.Count} {statuses.MaxBy(Rank)}");
                rows.Add([.. shared, .. CertificateCells(group, first, group.Certificates.Count == 0, at, showTrustDomain), Cell.List(summary, statuses)]);
                continue;
            }

            if (group.Certificates.Count == 0)
            {
                rows.Add([.. shared, .. CertificateCells(group, null, true, at, showTrustDomain), Cell.Number(null)]);
                continue;
            }

            for (var i = 0; i < group.Certificates.Count; i++)
            {
                rows.Add([.. shared, .. CertificateCells(group, group.Certificates[i], false, at, showTrustDomain), Cell.Number(i)]);
            }
        }

        return new Table("secrets", "Secrets", columns, rows);
    }

    private static IEnumerable<Group> GroupsOf(Secret secret)
    {
        if (secret.CertificateChainPem.Count > 0)
        {
            return [new Group(secret, null, Parse(secret.CertificateChainPem))];
        }

        if (secret.TrustedCaPem.Count > 0)
        {
            return [new Group(secret, null, Parse(secret.TrustedCaPem))];
        }

        if (secret.SpiffeTrustBundles.Count > 0)
        {
            return secret.SpiffeTrustBundles.Select(b => new Group(secret, b.TrustDomain, b.BundlePem is { } pem ? Parse([pem]) : []));
        }

        return [new Group(secret, null, [])];
    }

    /// <summary>The trust domain of a row: the SPIFFE validator's, else the first certificate's <c>spiffe://</c> URI host.</summary>
    private static string? TrustDomainOf(Group group) =>
        group.TrustDomain ?? (group.Certificates.Count > 0 ? group.Certificates[0]?.TrustDomain : null);

    private static IEnumerable<Cell> CertificateCells(Group group, Parsed? cert, bool none, DateTimeOffset at, bool showTrustDomain)
    {
        if (none)
        {
            yield return Cell.Flag(false);
            yield return Cell.Of(null);
            yield return Cell.Of(null);
            yield return Cell.Of(null);
        }
        else if (cert is null)
        {
            yield return Cell.Flag(false);
            yield return Cell.Of("<invalid>");
            yield return Cell.Of(null);
            yield return Cell.Of(null);
        }
        else
        {
            yield return Cell.Flag(at >= cert.NotBefore && at <= cert.NotAfter);
            yield return Cell.Of(cert.Serial);
            yield return Cell.Of(Format(cert.NotAfter));
            yield return Cell.Of(Format(cert.NotBefore));
        }

        if (showTrustDomain)
        {
            yield return Cell.Of(group.TrustDomain ?? cert?.TrustDomain);
        }
    }

    private static string StatusOf(Parsed? cert, DateTimeOffset at) =>
        cert is null ? "INVALID" : at > cert.NotAfter ? "EXPIRED" : at < cert.NotBefore ? "NOT YET VALID" : "VALID";

    private static int Rank(string status) => status switch
    {
        "INVALID" => 3,
        "EXPIRED" => 2,
        "NOT YET VALID" => 1,
        _ => 0,
    };

    private static string TypeText(SecretType type) => type switch
    {
        SecretType.TlsCertificate => "Cert Chain",
        SecretType.ValidationContext => "CA",
        SecretType.SessionTicketKeys => "Session Ticket Keys",
        SecretType.GenericSecret => "Generic Secret",
        _ => "",
    };

    private static string Format(DateTimeOffset t) => TimeText.Utc(t);

    private static List<Parsed?> Parse(IReadOnlyList<string> pems) => pems.SelectMany(PemBlocks).Select(TryParse).ToList();

    /// <summary>The DER bytes of every CERTIFICATE block of a PEM text (other blocks skipped).</summary>
    internal static IEnumerable<byte[]> PemBlocks(string pem)
    {
        var rest = pem.AsMemory();
        var result = new List<byte[]>();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var span = rest.Span;
            if (span[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = new byte[fields.DecodedDataLength];
                result.Add(Convert.TryFromBase64Chars(span[fields.Base64Data], der, out var n) ? der[..n] : []);
            }

            rest = rest[fields.Location.End..];
        }

        return result;
    }

    private static Parsed? TryParse(byte[] der)
    {
        if (der.Length == 0)
        {
            return null;
        }

        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            return new Parsed(
                SerialNumbers.FromDerContent(cert.SerialNumberBytes.Span),
                new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                SpiffeTrustDomain(cert));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The host of the certificate's first <c>spiffe://</c> URI SAN, or null (also when the SAN extension does not parse).</summary>
    private static string? SpiffeTrustDomain(X509Certificate2 cert)
    {
        if (cert.Extensions["2.5.29.17"] is not { } san)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (reader.HasData)
            {
                if (reader.PeekTag() != uriTag)
                {
                    reader.ReadEncodedValue();
                    continue;
                }

                var uri = reader.ReadCharacterString(UniversalTagNumber.IA5String, uriTag);
                if (uri.StartsWith("spiffe://", StringComparison.OrdinalIgnoreCase))
                {
                    var rest = uri["spiffe://".Length..];
                    var slash = rest.IndexOf('/', StringComparison.Ordinal);
                    var domain = slash >= 0 ? rest[..slash] : rest;
                    return domain.Length > 0 ? domain : null;
                }
            }
        }
        catch (AsnContentException)
        {
        }

        return null;
    }
}
