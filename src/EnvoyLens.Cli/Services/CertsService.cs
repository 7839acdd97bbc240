using System.Globalization;
using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Spiffe;
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
    /// <summary>Default width of the <c>certs</c> table when standard output is not a terminal.</summary>
    public const int DefaultWidth = 120;

    /// <summary><c>-o table|wide|json</c> of <c>certs</c>: wide is the table with every column.</summary>
    public static (OutputFormat Format, bool Wide) ParseListFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "table" => (OutputFormat.Table, false),
        "wide" => (OutputFormat.Table, true),
        "json" => (OutputFormat.Json, false),
        _ => throw new EnvoyLensException($"--output must be table, wide or json, not '{value}'."),
    };

    /// <summary><c>-o text|json</c> of <c>certs inspect|verify|compare</c>.</summary>
    public static OutputFormat ParseFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "text" or "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        _ => throw new EnvoyLensException($"--output must be text or json, not '{value}'."),
    };

    /// <summary>The width the <c>certs</c> table must fit: the terminal's when standard output is one, else <see cref="DefaultWidth"/>.</summary>
    public static int TableWidth(TextWriter output)
    {
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
        {
            try
            {
                return Console.WindowWidth > 0 ? Console.WindowWidth : DefaultWidth;
            }
            catch (IOException)
            {
                return DefaultWidth;
            }
        }

        return DefaultWidth;
    }

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

    /// <summary>
    /// <c>certs SOURCE</c>: one row per certificate, then the problems (unreadable blocks, X.509-SVID problems). The text
    /// table fits <paramref name="width"/> unless <paramref name="wide"/>.
    /// </summary>
    public int List(SourceSpec source, OutputFormat format, bool wide, string? at, int width, TextWriter output)
    {
        var when = At(at);
        RefuseCertificateFile(source);
        var loaded = loader.Load(source);
        var inventory = CertificateInventory.From(loaded.Snapshot);
        var rows = new List<CertificateRow>();
        var problems = inventory.Problems.Select(p => (p.Origin, p.Index?.ToString(CultureInfo.InvariantCulture) ?? "", p.Message)).ToList();
        foreach (var group in inventory.Groups)
        {
            var source1 = group.Source + (group.Role == CertificateRole.TrustedCa ? " (trusted CA)" : "");
            for (var i = 0; i < group.Certificates.Count; i++)
            {
                var c = group.Certificates[i];
                var svid = SvidProblems(group, i);
                rows.Add(CertificateStatus.Row(source1, c, when, svid.Count > 0));
                problems.AddRange(svid.Select(p => (group.Source, c.Index.ToString(CultureInfo.InvariantCulture), p)));
            }
        }

        var tables = new List<Table> { CertificatesView.Build(rows, format == OutputFormat.Table && !wide ? width : null) };
        if (problems.Count > 0 || format == OutputFormat.Json)
        {
            tables.Add(CertificatesView.Problems(problems));
        }

        TableRenderer.Write(tables, format, output);
        return ExitCodes.Ok;
    }

    /// <summary>The X.509-SVID problems of the certificate at <paramref name="i"/> of a group: in its chain when the group is a presented chain, else on its own.</summary>
    private static IReadOnlyList<string> SvidProblems(CertificateGroup group, int i) =>
        group.Leaf is not null ? SvidChecks.CheckAt(group.Certificates, i) : SvidChecks.Check(group.Certificates[i]);

    /// <summary><c>certs leaf.pem</c>: a certificate file is not a capture; say which command reads it.</summary>
    private static void RefuseCertificateFile(SourceSpec source)
    {
        if (source.Kind != SourceKind.File || !File.Exists(source.Path))
        {
            return;
        }

        var head = new byte[4096];
        int n;
        using (var stream = File.OpenRead(source.Path))
        {
            n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var text = System.Text.Encoding.UTF8.GetString(head, 0, n).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var pem = text.StartsWith("-----BEGIN ", StringComparison.Ordinal);
        var der = n > 1 && head[0] == 0x30 && head[1] is >= 0x80 and <= 0x84 && CertificateReader.ReadFile(source.Path).Certificates.Count > 0;
        if (pem || der)
        {
            throw new EnvoyLensException($"'{source.Path}' is a {(pem ? "PEM" : "DER")} file, not an Envoy capture; to show its certificates run 'envoylens certs inspect {source.Path}'.");
        }
    }

    /// <summary>
    /// <c>certs inspect FILE...</c>: every certificate in full, like <c>openssl x509 -text</c>, with its status at
    /// <paramref name="at"/> and its X.509-SVID problems. Each file that yields no certificate (empty, no PEM block,
    /// unreadable blocks) is named as a problem; when none yields one, that is the error (exit 2), one sentence naming
    /// each file and why.
    /// </summary>
    public int Inspect(IReadOnlyList<string> files, OutputFormat format, string? at, TextWriter output)
    {
        var when = At(at);
        var judged = new List<JudgedCertificate>();
        var problems = new List<CertificateProblem>();
        var unusable = new List<(string File, string Why)>();
        var read1 = new List<(IReadOnlyList<CertificateProblem>, IReadOnlyList<JudgedCertificate>)>();
        foreach (var file in files)
        {
            RequireFile(file);
            var read = CertificateReader.ReadFile(file);
            var fileProblems = read.Problems.ToList();
            if (read.Certificates.Count == 0 && fileProblems.Count == 0)
            {
                fileProblems.Add(new CertificateProblem(file, null, $"'{file}' is empty."));
            }

            problems.AddRange(fileProblems);
            if (read.Certificates.Count == 0)
            {
                unusable.Add((file, fileProblems[0].Message.TrimEnd('.')));
            }

            var certificates = read.Certificates.Select(c => CertificateStatus.Judge(c, when, SvidChecks.Check(c))).ToList();
            judged.AddRange(certificates);
            read1.Add((fileProblems, certificates));
        }

        if (judged.Count == 0)
        {
            throw new EnvoyLensException(unusable.Count == 1
                ? $"cannot use '{unusable[0].File}': {Reason(unusable[0].File, unusable[0].Why)}."
                : $"no certificate could be read: {string.Join("; ", unusable.Select(u => u.Why))}.");
        }

        output.Write(format == OutputFormat.Json ? CertificatesJson.Inspect(judged, problems) : CertificatesText.Inspect(read1));
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
    public int Verify(CertsVerifyRequest request, OutputFormat format, TextWriter output)
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
        var path = result.Chain.Select((c, i) => CertificateStatus.Judge(c, when, SvidChecks.CheckAt(result.Chain, i))).ToList();
        output.Write(format == OutputFormat.Json ? CertificatesJson.Verify(result, path) : CertificatesText.Verify(result, path));
        return result.Valid ? ExitCodes.Ok : ExitCodes.Findings;
    }

    /// <summary>
    /// <c>certs compare A B</c>: 0 when both directions would succeed, 1 when a side would reject the other, 2 when it
    /// cannot be told (a capture without any certificate) and nothing is known to fail.
    /// </summary>
    public int Compare(SourceSpec a, SourceSpec b, string? at, OutputFormat format, TextWriter output)
    {
        var when = At(at);
        var sa = loader.Load(a).Snapshot;
        var sb = loader.Load(b).Snapshot;
        var result = TrustComparison.Compare(new TrustSide("A", sa), new TrustSide("B", sb), when);
        output.Write(format == OutputFormat.Json ? CertificatesJson.Compare(a.Path, b.Path, result) : CertificatesText.Compare(a.Path, b.Path, result));
        return CertificatesText.Verdict(result) switch
        {
            "fail" => ExitCodes.Findings,
            "unknown" => ExitCodes.InputOrUsageError,
            _ => ExitCodes.Ok,
        };
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
