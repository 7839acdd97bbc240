using System.Globalization;
using System.Text;
using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Certs.Validation;

namespace EnvoyLens.Reporting.Certs;

/// <summary>The text of <c>certs inspect</c> (like <c>openssl x509 -text</c>), <c>certs verify</c> and <c>certs compare</c>.</summary>
public static class CertificatesText
{
    /// <summary><c>certs inspect</c>: each file's problems, then each of its certificates in full.</summary>
    public static string Inspect(IReadOnlyList<(IReadOnlyList<CertificateProblem> Problems, IReadOnlyList<JudgedCertificate> Certificates)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var text = new StringBuilder();
        foreach (var (problems, certificates) in files)
        {
            foreach (var problem in problems)
            {
                text.Append(CultureInfo.InvariantCulture, $"Problem: {problem.Message}\n\n");
            }

            foreach (var one in certificates)
            {
                text.Append(Certificate(one));
            }
        }

        return text.ToString();
    }

    /// <summary>One certificate in full: its fields, extensions, fingerprint and, for an X.509-SVID, its problems.</summary>
    public static string Certificate(JudgedCertificate judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var c = judged.Certificate;
        var sb = new StringBuilder();
        void Line(string label, string value) => sb.Append(CultureInfo.InvariantCulture, $"    {label + ":",-22} {value}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Certificate {c.Index} of {c.Origin}\n");
        Line("Status", judged.Status);
        Line("Version", c.Version.ToString(CultureInfo.InvariantCulture));
        Line("Serial", c.SerialNumberHex);
        Line("Signature algorithm", c.SignatureAlgorithm);
        Line("Issuer", c.Issuer.Length == 0 ? "(empty)" : c.Issuer);
        Line("Not before", CertificateStatus.Time(c.NotBefore));
        Line("Not after", CertificateStatus.Time(c.NotAfter));
        Line("Subject", c.Subject.Length == 0 ? "(empty)" : c.Subject);
        Line("Public key", c.KeyDescription);
        Line("Subject alt names", c.SubjectAltNames.Count == 0 ? "-" : string.Join(", ", c.SubjectAltNames));
        Line("SPIFFE ID", c.SpiffeId ?? "-");
        Line("CA", c.IsCa ? c.PathLength is { } p ? string.Create(CultureInfo.InvariantCulture, $"yes, path length {p}") : "yes" : "no");
        Line("Key usage", c.KeyUsage is { } u ? (c.KeyUsageCritical ? "critical, " : "") + u.ToString() : "-");
        Line("Extended key usage", c.ExtendedKeyUsages.Count == 0 ? "-" : string.Join(", ", c.ExtendedKeyUsages));
        sb.Append("    Extensions:\n");
        foreach (var e in c.Extensions)
        {
            sb.Append(CultureInfo.InvariantCulture, $"        {e.Name}{(e.Critical ? " (critical)" : "")}: {e.Value}\n");
        }

        Line("SHA-256 fingerprint", c.Sha256Fingerprint);
        if (SvidChecks.IsSvid(c))
        {
            Line("X.509-SVID", judged.SvidProblems.Count == 0 ? "conforms to the SPIFFE X.509-SVID rules" : string.Create(CultureInfo.InvariantCulture, $"{judged.SvidProblems.Count} problem(s)"));
            foreach (var problem in judged.SvidProblems)
            {
                sb.Append(CultureInfo.InvariantCulture, $"        {problem}\n");
            }
        }

        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary><c>certs verify</c>: the verdict in one sentence, the path, then the X.509-SVID problems of its certificates.</summary>
    public static string Verify(VerifyResult result, IReadOnlyList<JudgedCertificate> path)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(path);
        var text = new StringBuilder();
        text.Append((result.Valid ? "OK: " : "INVALID: ") + result.Reason + "\n");
        text.Append("Path:\n");
        for (var i = 0; i < result.Chain.Count; i++)
        {
            var anchor = result.Valid && i == result.Chain.Count - 1 ? " (trust anchor)" : "";
            text.Append(CultureInfo.InvariantCulture, $"  {i}: {result.Chain[i].Label} issued by '{result.Chain[i].Issuer}'{anchor}\n");
        }

        foreach (var problem in path.SelectMany(p => p.SvidProblems))
        {
            text.Append(CultureInfo.InvariantCulture, $"X.509-SVID: {problem}\n");
        }

        return text.ToString();
    }

    /// <summary><c>certs compare</c>: both sides, the trust anchors, each direction's checks and the notes.</summary>
    public static string Compare(string a, string b, TrustComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"A: {a} (identity {result.IdentityA ?? "none"})\n");
        text.Append(CultureInfo.InvariantCulture, $"B: {b} (identity {result.IdentityB ?? "none"})\n");
        text.Append(result.SharedAnchors.Count > 0
            ? $"Shared trust anchors: {string.Join(", ", result.SharedAnchors.Select(c => c.Label))}\n"
            : "Shared trust anchors: none\n");
        foreach (var c in result.OnlyA)
        {
            text.Append(CultureInfo.InvariantCulture, $"Only A trusts: {c.Label}\n");
        }

        foreach (var c in result.OnlyB)
        {
            text.Append(CultureInfo.InvariantCulture, $"Only B trusts: {c.Label}\n");
        }

        foreach (var v in new[] { result.AToB, result.BToA })
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{v.Client} -> {v.Server} (client {v.Client}, server {v.Server}): {Outcome(v)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {Mark(v.ClientAccepts)} {v.ClientReason}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {Mark(v.ServerAccepts)} {v.ServerReason}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {Mark(v.SanMatchersAcceptServer)} {v.SanReason}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {Mark(v.RbacAdmitsClient)} {v.RbacReason}\n");
        }

        foreach (var note in result.Notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nNote: {note}\n");
        }

        return text.ToString();
    }

    /// <summary>The comparison in one word: <c>fail</c> when a side would reject the other, <c>unknown</c> when it cannot be told, else <c>ok</c>.</summary>
    public static string Verdict(TrustComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.AToB.Fails || result.BToA.Fails ? "fail" : result.AToB.CannotTell || result.BToA.CannotTell ? "unknown" : "ok";
    }

    /// <summary>What one direction's handshake would do.</summary>
    public static string Outcome(HandshakeVerdict v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return v.Succeeds ? "handshake would succeed"
            : v.HandshakeSucceeds ? "handshake would succeed, then the server's RBAC would refuse the connection"
            : v.CannotTell ? "cannot tell whether the handshake would succeed"
            : "handshake would FAIL";
    }

    private static string Mark(bool? ok) => ok switch { false => "FAIL", true => "ok  ", null => "info" };
}
