using System.Text.Json;
using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Reporting.Certs;

/// <summary>
/// The <c>-o json</c> documents of <c>certs inspect</c>, <c>certs verify</c> and <c>certs compare</c>, written with a
/// <see cref="Utf8JsonWriter"/> (no reflection): camelCase keys in a fixed order, times as UTC <c>yyyy-MM-ddTHH:mm:ssZ</c>,
/// serials as <see cref="Core.SerialNumbers"/> prints them, absent values as <c>null</c>.
/// </summary>
public static class CertificatesJson
{
    /// <summary><c>certs inspect -o json</c>: <c>{"certificates": [...], "problems": [...]}</c>.</summary>
    public static string Inspect(IReadOnlyList<JudgedCertificate> certificates, IReadOnlyList<CertificateProblem> problems) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("certificates");
        foreach (var c in certificates)
        {
            Certificate(w, c);
        }

        w.WriteEndArray();
        Problems(w, problems);
        w.WriteEndObject();
    });

    /// <summary><c>certs verify -o json</c>: verdict, check, reason, the path and the X.509-SVID problems of its certificates.</summary>
    public static string Verify(VerifyResult result, IReadOnlyList<JudgedCertificate> path) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("valid", result.Valid);
        w.WriteString("check", result.Check);
        w.WriteString("reason", result.Reason);
        w.WriteStartArray("path");
        foreach (var c in path)
        {
            Certificate(w, c);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary><c>certs compare -o json</c>: both sides, the trust anchors, and per direction each check as ok, fail or unknown.</summary>
    public static string Compare(string a, string b, TrustComparisonResult result) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("verdict", CertificatesText.Verdict(result));
        w.WriteStartObject("a");
        w.WriteString("source", a);
        w.WriteString("identity", result.IdentityA);
        w.WriteEndObject();
        w.WriteStartObject("b");
        w.WriteString("source", b);
        w.WriteString("identity", result.IdentityB);
        w.WriteEndObject();
        Anchors(w, "sharedAnchors", result.SharedAnchors);
        Anchors(w, "onlyA", result.OnlyA);
        Anchors(w, "onlyB", result.OnlyB);
        w.WriteStartArray("directions");
        foreach (var v in new[] { result.AToB, result.BToA })
        {
            w.WriteStartObject();
            w.WriteString("client", v.Client);
            w.WriteString("server", v.Server);
            w.WriteString("outcome", CertificatesText.Outcome(v));
            w.WriteStartArray("checks");
            Check(w, "client-accepts-server-certificate", v.ClientAccepts, v.ClientReason);
            Check(w, "server-accepts-client-certificate", v.ServerAccepts, v.ServerReason);
            Check(w, "client-san-matchers-accept-server", v.SanMatchersAcceptServer, v.SanReason);
            Check(w, "server-rbac-admits-client", v.RbacAdmitsClient, v.RbacReason);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("notes");
        foreach (var note in result.Notes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void Check(Utf8JsonWriter w, string name, bool? result, string reason)
    {
        w.WriteStartObject();
        w.WriteString("check", name);
        w.WriteString("result", result switch { true => "ok", false => "fail", null => "unknown" });
        w.WriteString("reason", reason);
        w.WriteEndObject();
    }

    private static void Anchors(Utf8JsonWriter w, string name, IReadOnlyList<CertificateInfo> anchors)
    {
        w.WriteStartArray(name);
        foreach (var c in anchors)
        {
            w.WriteStartObject();
            w.WriteString("subject", c.Subject);
            w.WriteString("serialNumber", c.SerialNumberHex);
            w.WriteString("sha256Fingerprint", c.Sha256Fingerprint);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Problems(Utf8JsonWriter w, IReadOnlyList<CertificateProblem> problems)
    {
        w.WriteStartArray("problems");
        foreach (var p in problems)
        {
            w.WriteStartObject();
            w.WriteString("file", p.Origin);
            if (p.Index is { } index)
            {
                w.WriteNumber("block", index);
            }
            else
            {
                w.WriteNull("block");
            }

            w.WriteString("problem", p.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Certificate(Utf8JsonWriter w, JudgedCertificate judged)
    {
        var c = judged.Certificate;
        w.WriteStartObject();
        w.WriteString("file", c.Origin);
        w.WriteNumber("block", c.Index);
        w.WriteNumber("version", c.Version);
        w.WriteString("serialNumber", c.SerialNumberHex);
        w.WriteString("signatureAlgorithm", c.SignatureAlgorithm);
        w.WriteString("issuer", c.Issuer);
        w.WriteString("subject", c.Subject);
        w.WriteString("notBefore", CertificateStatus.Time(c.NotBefore));
        w.WriteString("notAfter", CertificateStatus.Time(c.NotAfter));
        w.WriteString("status", judged.Status);
        w.WriteString("publicKey", c.KeyDescription);
        Strings(w, "subjectAltNames", c.SubjectAltNames);
        w.WriteString("spiffeId", c.SpiffeId);
        w.WriteBoolean("ca", c.IsCa);
        if (c.PathLength is { } pathLength)
        {
            w.WriteNumber("pathLength", pathLength);
        }
        else
        {
            w.WriteNull("pathLength");
        }

        Strings(w, "keyUsage", c.KeyUsage is { } usage
            ? Enum.GetValues<KeyUsageFlags>().Where(f => f != KeyUsageFlags.None && usage.HasFlag(f)).Select(KeyUsageName).ToList()
            : null);
        w.WriteBoolean("keyUsageCritical", c.KeyUsageCritical);
        Strings(w, "extendedKeyUsage", c.ExtendedKeyUsages);
        w.WriteStartArray("extensions");
        foreach (var e in c.Extensions)
        {
            w.WriteStartObject();
            w.WriteString("oid", e.Oid);
            w.WriteString("name", e.Name);
            w.WriteBoolean("critical", e.Critical);
            w.WriteString("value", e.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("sha256Fingerprint", c.Sha256Fingerprint);
        Strings(w, "svidProblems", judged.SvidProblems);
        w.WriteEndObject();
    }

    /// <summary>RFC 5280 names of the key usage bits (<c>digitalSignature</c>, <c>keyCertSign</c>, ...).</summary>
    private static string KeyUsageName(KeyUsageFlags flag) => flag switch
    {
        KeyUsageFlags.DigitalSignature => "digitalSignature",
        KeyUsageFlags.NonRepudiation => "nonRepudiation",
        KeyUsageFlags.KeyEncipherment => "keyEncipherment",
        KeyUsageFlags.DataEncipherment => "dataEncipherment",
        KeyUsageFlags.KeyAgreement => "keyAgreement",
        KeyUsageFlags.KeyCertSign => "keyCertSign",
        KeyUsageFlags.CrlSign => "cRLSign",
        KeyUsageFlags.EncipherOnly => "encipherOnly",
        KeyUsageFlags.DecipherOnly => "decipherOnly",
        _ => flag.ToString(),
    };

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
