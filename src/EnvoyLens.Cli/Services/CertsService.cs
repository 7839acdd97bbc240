using System.Globalization;
using System.Text;
using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Certs;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens certs verify</c> was asked for.</summary>
internal sealed record CertsVerifyRequest(string Leaf, IReadOnlyList<string> Roots, IReadOnlyList<string> Untrusted, string? At, string? Name, CertificatePurpose Purpose,
    ValidationProfile Profile = ValidationProfile.Mesh);

/// <summary>
/// <c>envoylens certs</c> and its subcommands: list every certificate of a capture, inspect files, verify a leaf
/// (exit 0 valid, 1 invalid, 2 unusable input) and compare the trust of two captures (exit 0 both directions
/// succeed, 1 a side would reject the other).
/// </summary>
internal sealed class CertsService(SnapshotLoader loader, TimeProvider clock)
{
    public static OutputFormat ParseFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        _ => throw new EnvoyLensException($"--output must be table or json, not '{value}'."),
    };

    public static CertificatePurpose ParsePurpose(string? value) => value?.ToLowerInvariant() switch
    {
        null or "any" => CertificatePurpose.Any,
        "server" => CertificatePurpose.Server,
        "client" => CertificatePurpose.Client,
        _ => throw new EnvoyLensException($"--purpose must be server or client, not '{value}'."),
    };

    public static ValidationProfile ParseProfile(string? value) => value?.ToLowerInvariant() switch
    {
        null or "mesh" => ValidationProfile.Mesh,
        "rfc5280" => ValidationProfile.Rfc5280,
        "webpki" => ValidationProfile.WebPki,
        _ => throw new EnvoyLensException($"--profile must be mesh, rfc5280 or webpki, not '{value}'."),
    };

    /// <summary>Parses <c>--at</c> (ISO 8601; a time without offset is UTC); null means now.</summary>
    public DateTimeOffset At(string? at)
    {
        if (at is null)
        {
            return clock.GetUtcNow();
        }

        return DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.ToUniversalTime()
            : throw new EnvoyLensException($"--at '{at}' is not a date and time; use ISO 8601 such as 2026-11-20T10:00:00Z.");
    }

    /// <summary><c>certs SOURCE</c>: one row per certificate, then the problems.</summary>
    public int List(SourceSpec source, OutputFormat format, string? at, TextWriter output)
    {
        var when = At(at);
        var loaded = loader.Load(source);
        var inventory = CertificateInventory.From(loaded.Snapshot);
        var rows = inventory.Groups.SelectMany(g => g.Certificates.Select(c => Row(g.Source + (g.Role == CertificateRole.TrustedCa ? " (trusted CA)" : ""), c, when))).ToList();
        var tables = new List<Table> { CertificatesView.Build(rows) };
        var problems = inventory.Problems.Select(p => (p.Origin, p.Index?.ToString(CultureInfo.InvariantCulture) ?? "", p.Message)).ToList();
        if (problems.Count > 0 || format == OutputFormat.Json)
        {
            tables.Add(CertificatesView.Problems(problems));
        }

        TableRenderer.Write(tables, format, output);
        return ExitCodes.Ok;
    }

    internal static CertificateRow Row(string source, CertificateInfo c, DateTimeOffset at)
    {
        var status = CertificateChecks.TimeStatusOf(c, at, CertificatePolicy.Default) switch
        {
            TimeStatus.Expired => "EXPIRED",
            TimeStatus.NotYetValid => "NOT YET VALID",
            TimeStatus.RotationOverdue => "ROTATION OVERDUE",
            TimeStatus.ExpiringSoon => "EXPIRING SOON",
            _ => "VALID",
        };
        var weak = CertificateChecks.StrengthProblems(c, CertificatePolicy.Default);
        if (weak.Count > 0)
        {
            status += ", WEAK";
        }

        return new CertificateRow(source, c.Index, c.Subject, c.SubjectAltNames, c.SpiffeId, c.Issuer, c.SerialNumberHex, c.KeyDescription,
            c.SignatureAlgorithm, Time(c.NotBefore), Time(c.NotAfter), CertificateChecks.TimeLeft(c, at), CertificateChecks.Percent(CertificateChecks.LifetimeUsed(c, at)), status);
    }

    /// <summary>
    /// <c>certs inspect FILE...</c>: every certificate in full, like <c>openssl x509 -text</c>. Each file that yields no
    /// certificate (empty, no PEM block, unreadable blocks) is named as a problem; when none yields one, that is the
    /// error (exit 2), one sentence naming each file and why.
    /// </summary>
    public int Inspect(IReadOnlyList<string> files, TextWriter output)
    {
        var any = false;
        var unusable = new List<(string File, string Why)>();
        foreach (var file in files)
        {
            RequireFile(file);
            var read = CertificateReader.ReadFile(file);
            var problems = read.Problems.Select(p => p.Message).ToList();
            if (read.Certificates.Count == 0 && problems.Count == 0)
            {
                problems.Add($"'{file}' is empty.");
            }

            foreach (var problem in problems)
            {
                output.Write($"Problem: {problem}\n\n");
            }

            if (read.Certificates.Count == 0)
            {
                unusable.Add((file, problems[0].TrimEnd('.')));
            }

            foreach (var c in read.Certificates)
            {
                any = true;
                output.Write(Text(c));
            }
        }

        if (any)
        {
            return ExitCodes.Ok;
        }

        throw new EnvoyLensException(unusable.Count == 1
            ? $"cannot use '{unusable[0].File}': {Reason(unusable[0].File, unusable[0].Why)}."
            : $"no certificate could be read: {string.Join("; ", unusable.Select(u => u.Why))}.");

        // "'a.pem' is empty" reads as "cannot use 'a.pem': it is empty".
        static string Reason(string file, string why) =>
            why.StartsWith($"'{file}' ", StringComparison.Ordinal) ? "it " + why[(file.Length + 3)..] : why;
    }

    internal static string Text(CertificateInfo c)
    {
        var sb = new StringBuilder();
        void Line(string label, string value) => sb.Append(CultureInfo.InvariantCulture, $"    {label + ":",-22} {value}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Certificate {c.Index} of {c.Origin}\n");
        Line("Version", c.Version.ToString(CultureInfo.InvariantCulture));
        Line("Serial", c.SerialNumberHex);
        Line("Signature algorithm", c.SignatureAlgorithm);
        Line("Issuer", c.Issuer.Length == 0 ? "(empty)" : c.Issuer);
        Line("Not before", Time(c.NotBefore));
        Line("Not after", Time(c.NotAfter));
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
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary><c>certs verify</c>: 0 valid, 1 invalid, 2 unusable input.</summary>
    public int Verify(CertsVerifyRequest request, TextWriter output)
    {
        var when = At(request.At);
        var leafRead = ReadRequired(request.Leaf);
        var chainRest = leafRead.Certificates.Skip(1);
        var untrusted = request.Untrusted.SelectMany(f => ReadRequired(f).Certificates);
        var roots = request.Roots.SelectMany(f => ReadRequired(f).Certificates).ToList();
        if (roots.Count == 0)
        {
            throw new EnvoyLensException("no trust anchor given; name one or more --roots FILE.");
        }

        var result = PathValidator.Verify(new VerifyRequest(leafRead.Certificates[0], roots, chainRest.Concat(untrusted).ToList(), when, request.Purpose, request.Name, request.Profile));
        output.Write((result.Valid ? "OK: " : "INVALID: ") + result.Reason + "\n");
        output.Write("Path:\n");
        for (var i = 0; i < result.Chain.Count; i++)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"  {i}: {result.Chain[i].Label} issued by '{result.Chain[i].Issuer}'\n"));
        }

        return result.Valid ? ExitCodes.Ok : ExitCodes.Findings;
    }

    /// <summary><c>certs compare A B</c>: 0 when both directions would succeed, 1 when a side would reject the other.</summary>
    public int Compare(SourceSpec a, SourceSpec b, string? at, TextWriter output)
    {
        var when = At(at);
        var sa = loader.Load(a).Snapshot;
        var sb = loader.Load(b).Snapshot;
        var result = TrustComparison.Compare(new TrustSide("A", sa), new TrustSide("B", sb), when);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"A: {a.Path} (identity {result.IdentityA ?? "none"})\n");
        text.Append(CultureInfo.InvariantCulture, $"B: {b.Path} (identity {result.IdentityB ?? "none"})\n");
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
            text.Append(CultureInfo.InvariantCulture, $"  {(v.ClientAccepts ? "ok  " : "FAIL")} {v.ClientReason}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {(v.ServerAccepts ? "ok  " : "FAIL")} {v.ServerReason}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {v.SanMatchersAcceptServer switch { false => "FAIL", true => "ok  ", null => "info" }} {v.SanReason}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {v.RbacAdmitsClient switch { false => "FAIL", true => "ok  ", null => "info" }} {v.RbacReason}\n");
        }

        foreach (var note in result.Notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nNote: {note}\n");
        }

        output.Write(text.ToString());
        return result.AToB.Succeeds && result.BToA.Succeeds ? ExitCodes.Ok : ExitCodes.Findings;
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

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Outcome(HandshakeVerdict v) =>
        v.Succeeds ? "handshake would succeed"
        : v.HandshakeSucceeds ? "handshake would succeed, then the server's RBAC would refuse the connection"
        : "handshake would FAIL";
}
