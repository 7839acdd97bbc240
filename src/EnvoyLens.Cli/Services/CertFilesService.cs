using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Cli.Options;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Certs;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens certs verify</c> was asked for; <paramref name="At"/> is the instant the path is judged at.</summary>
internal sealed record CertsVerifyRequest(string Leaf, IReadOnlyList<string> Roots, IReadOnlyList<string> Untrusted, TimeProvider At, string? Name, CertificatePurpose Purpose,
    ValidationProfile Profile = ValidationProfile.Mesh);

/// <summary>
/// <c>envoylens certs inspect FILE...</c> and <c>certs verify LEAF</c>: certificates read from PEM or DER files, not from
/// a capture. <c>verify</c> exits 0 valid, 1 invalid, 2 unusable input.
/// </summary>
internal static class CertFilesService
{
    /// <summary>
    /// <c>certs inspect FILE...</c>: every certificate in full, like <c>openssl x509 -text</c>, with its status at
    /// <paramref name="at"/> and its X.509-SVID problems. Each file that yields no certificate (empty, no PEM block,
    /// unreadable blocks) is named as a problem; when none yields one, that is the error (exit 2), one sentence naming
    /// each file and why.
    /// </summary>
    public static int Inspect(IReadOnlyList<string> files, TextOrJson format, TimeProvider at, TextWriter output)
    {
        var when = at.GetUtcNow();
        var read = new List<(IReadOnlyList<CertificateProblem> Problems, IReadOnlyList<JudgedCertificate> Certificates)>();
        var unusable = new List<(string File, string Why)>();
        foreach (var file in files)
        {
            RequireFile(file);
            var one = CertificateReader.ReadFile(file);
            var problems = one.Problems.ToList();
            if (one.Certificates.Count == 0 && problems.Count == 0)
            {
                problems.Add(new CertificateProblem(file, null, $"'{file}' is empty."));
            }

            if (one.Certificates.Count == 0)
            {
                unusable.Add((file, problems[0].Message.TrimEnd('.')));
            }

            read.Add((problems, one.Certificates.Select(c => CertificateStatus.Judge(c, when, SvidChecks.Check(c))).ToList()));
        }

        var judged = read.SelectMany(r => r.Certificates).ToList();
        if (judged.Count == 0)
        {
            throw new EnvoyLensException(unusable.Count == 1
                ? $"cannot use '{unusable[0].File}': {Reason(unusable[0].File, unusable[0].Why)}."
                : $"no certificate could be read: {string.Join("; ", unusable.Select(u => u.Why))}.");
        }

        output.Write(format == TextOrJson.Json ? CertificatesJson.Inspect(judged, read.SelectMany(r => r.Problems).ToList()) : CertificatesText.Inspect(read));
        return ExitCodes.Ok;

        // "'a.pem' is empty" reads as "cannot use 'a.pem': it is empty".
        static string Reason(string file, string why) =>
            why.StartsWith($"'{file}' ", StringComparison.Ordinal) ? "it " + why[(file.Length + 3)..] : why;
    }

    /// <summary>
    /// <c>certs verify</c>: 0 valid, 1 invalid, 2 unusable input. The X.509-SVID problems of the path's certificates
    /// (the leaf's when it carries a <c>spiffe://</c> URI) follow the verdict; they do not change the exit code, which is
    /// RFC 5280's.
    /// </summary>
    public static int Verify(CertsVerifyRequest request, TextOrJson format, TextWriter output)
    {
        var when = request.At.GetUtcNow();
        var leafRead = ReadRequired(request.Leaf);
        var chainRest = leafRead.Certificates.Skip(1);
        var untrusted = request.Untrusted.SelectMany(f => ReadRequired(f).Certificates);
        var roots = request.Roots.SelectMany(f => ReadRequired(f).Certificates).ToList();
        if (roots.Count == 0)
        {
            throw new EnvoyLensException("no trust anchor given; name one or more --roots FILE.");
        }

        var result = PathValidator.Verify(new VerifyRequest(leafRead.Certificates[0], roots, chainRest.Concat(untrusted).ToList(), when, request.Purpose, request.Name, request.Profile));
        var path = result.Chain.Select((c, i) => CertificateStatus.Judge(c, when, SvidChecks.CheckAt(result.Chain, i))).ToList();
        output.Write(format == TextOrJson.Json ? CertificatesJson.Verify(result, path) : CertificatesText.Verify(result, path));
        return result.Valid ? ExitCodes.Ok : ExitCodes.Findings;
    }

    /// <summary>
    /// <c>certs linkerd</c>: <c>linkerd check</c>'s identity checks on a trust-anchors file and an issuer certificate
    /// file. 0 when no check failed (the 60-day checks only warn, as linkerd's do), 1 when one failed, 2 when a file is
    /// missing or unreadable. A file that holds no certificate is the failing "certificate config is valid" check.
    /// </summary>
    public static int Linkerd(string anchorsFile, string issuerFile, string identityDomain, TimeProvider at, TextOrJson format, TextWriter output, string? presentedFile = null)
    {
        RequireFile(anchorsFile);
        RequireFile(issuerFile);
        return Linkerd(CertificateReader.ReadFile(anchorsFile), CertificateReader.ReadFile(issuerFile), identityDomain, at, format, output, presentedFile);
    }

    /// <summary>
    /// <c>certs linkerd --from-cluster</c>: the trust anchors of the <c>linkerd-identity-trust-roots</c> ConfigMap and the
    /// issuer certificate of the <c>linkerd-identity-issuer</c> Secret (never its key), read through the Kubernetes API.
    /// </summary>
    public static int LinkerdFromCluster(string linkerdNamespace, string? context, string? kubeconfig, string identityDomain, TimeProvider at, TextOrJson format, TextWriter output,
        string? presentedFile = null)
    {
        var (anchors, anchorsSource, issuer, issuerSource) = Admin.Kubernetes.PodConnector.ReadLinkerdIdentityAsync(linkerdNamespace, context, kubeconfig, TimeSpan.FromSeconds(30))
            .GetAwaiter().GetResult();
        return Linkerd(CertificateReader.ReadBytes(anchors, anchorsSource), CertificateReader.ReadBytes(issuer, issuerSource), identityDomain, at, format, output, presentedFile);
    }

    /// <summary><c>certs linkerd</c> on certificates already read (files, or the cluster's ConfigMap and Secret).</summary>
    public static int Linkerd(CertificateReadResult anchors, CertificateReadResult issuer, string identityDomain, TimeProvider at, TextOrJson format, TextWriter output, string? presentedFile = null)
    {
        if (string.IsNullOrWhiteSpace(identityDomain) || identityDomain.Any(c => char.IsWhiteSpace(c) || c is '/' or ':'))
        {
            throw new EnvoyLensException($"--identity-domain '{identityDomain}' is not a DNS domain (e.g. cluster.local).");
        }

        var when = at.GetUtcNow();
        var checks = LinkerdIdentityChecks.Run(new LinkerdIdentityInput(anchors.Certificates, anchors.Problems, issuer.Certificates, issuer.Problems, identityDomain, when));
        if (presentedFile is not null)
        {
            checks = [.. checks, LinkerdIdentityChecks.PresentedChain(ReadRequired(presentedFile).Certificates, anchors.Certificates, when)];
        }

        output.Write(format == TextOrJson.Json ? LinkerdChecksRenderer.Json(checks, identityDomain, when) : LinkerdChecksRenderer.Text(checks));
        return LinkerdChecksRenderer.Passed(checks) ? ExitCodes.Ok : ExitCodes.Findings;
    }

    private static CertificateReadResult ReadRequired(string file)
    {
        RequireFile(file);
        var read = CertificateReader.ReadFile(file);
        if (read.Certificates.Count == 0)
        {
            var why = read.Problems.FirstOrDefault()?.Message.TrimEnd('.') ?? $"'{file}' holds no certificate";
            throw new EnvoyLensException($"cannot use '{file}': {why}.");
        }

        return read;
    }

    private static void RequireFile(string file)
    {
        if (!File.Exists(file))
        {
            throw new EnvoyLensException($"cannot read '{file}': no such file.");
        }
    }
}
