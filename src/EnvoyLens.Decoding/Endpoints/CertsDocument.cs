using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Endpoints;

/// <summary>
/// Reads <c>/certs</c> (<c>envoy.admin.v3.Certificates</c>). Subject alternative names are prefixed by their kind as
/// openssl prints them: <c>DNS:</c>, <c>URI:</c>, <c>IP:</c>. <see cref="AdminCertificate.Role"/> is <c>ca</c> or <c>cert_chain</c>.
/// </summary>
public static class CertsDocument
{
    public const string CaRole = "ca";
    public const string CertChainRole = "cert_chain";
    private const string What = "Envoy /certs output";

    public static AdminDocument<IReadOnlyList<AdminCertificateSet>> Read(byte[] content, string source)
    {
        using var doc = AdminJson.Parse(content, source, What);
        var root = AdminJson.RequireObject(doc, source, What);
        if (!AdminJson.TryGet(root, "certificates", out _) && root.EnumerateObject().Any())
        {
            throw new EnvoyLensException($"{source} is not {What}: the JSON object has no \"certificates\".");
        }

        var diagnostics = new List<DecodeDiagnostic>();
        var sets = new List<AdminCertificateSet>();
        var listPointer = JsonPointer.Root.Append("certificates");
        foreach (var (item, index) in AdminJson.Array(root, "certificates", source, listPointer, What))
        {
            var pointer = listPointer.Append(index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(AdminJson.BadEntry(source, pointer, $"certificate entry is a {AdminJson.Kind(item)}, not an object; skipped"));
                continue;
            }

            sets.Add(new AdminCertificateSet(
                Details(item, "ca_cert", CaRole, source, pointer, diagnostics),
                Details(item, "cert_chain", CertChainRole, source, pointer, diagnostics)));
        }

        return new AdminDocument<IReadOnlyList<AdminCertificateSet>>(sets, diagnostics);
    }

    private static List<AdminCertificate> Details(JsonElement set, string field, string role, string source, JsonPointer setPointer, List<DecodeDiagnostic> diagnostics)
    {
        var result = new List<AdminCertificate>();
        var pointer = setPointer.Append(field);
        if (!AdminJson.TryGet(set, field, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            diagnostics.Add(AdminJson.BadEntry(source, pointer, $"{field} is a {AdminJson.Kind(list)}, not an array; skipped"));
            return result;
        }

        var index = 0;
        foreach (var cert in list.EnumerateArray())
        {
            var certPointer = pointer.Append(index++);
            if (cert.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(AdminJson.BadEntry(source, certPointer, $"certificate details are a {AdminJson.Kind(cert)}, not an object; skipped"));
                continue;
            }

            var sans = new List<string>();
            if (AdminJson.TryGet(cert, "subject_alt_names", out var sanList) && sanList.ValueKind == JsonValueKind.Array)
            {
                foreach (var san in sanList.EnumerateArray())
                {
                    if (AdminJson.String(san, "dns") is { } dns)
                    {
                        sans.Add("DNS:" + dns);
                    }
                    else if (AdminJson.String(san, "uri") is { } uri)
                    {
                        sans.Add("URI:" + uri);
                    }
                    else if (AdminJson.String(san, "ip_address") is { } ip)
                    {
                        sans.Add("IP:" + ip);
                    }
                }
            }

            long? days = AdminJson.TryNumber(cert, "days_until_expiration", out var d, out _) ? (long)d : null;
            var validFromText = AdminJson.String(cert, "valid_from");
            var expirationText = AdminJson.String(cert, "expiration_time");
            var validFrom = AdminJson.Timestamp(validFromText);
            var expiration = AdminJson.Timestamp(expirationText);
            if ((validFromText is not null && validFrom is null) || (expirationText is not null && expiration is null))
            {
                diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Warning, DiagnosticCodes.InvalidValue, source, certPointer,
                    "valid_from or expiration_time is not an RFC 3339 timestamp; left empty"));
            }

            result.Add(new AdminCertificate(role, AdminJson.String(cert, "path"), AdminJson.String(cert, "serial_number"), sans, days, validFrom, expiration));
        }

        return result;
    }
}
