using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Certs;
using EnvoyLens.Reporting.Html;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Cli.Services;

/// <summary>
/// <c>envoylens certs SOURCE</c> (every certificate of a capture) and <c>certs compare A B</c> (the trust of two captures:
/// exit 0 when both directions succeed, 1 when a side would reject the other, 2 when it cannot be told).
/// </summary>
internal sealed class CertsService(SnapshotLoader loader)
{
    /// <summary>Default width of the <c>certs</c> table when standard output is not a terminal.</summary>
    public const int DefaultWidth = 120;

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

    /// <summary>
    /// <c>certs SOURCE</c>: one row per certificate, then the problems (unreadable blocks, X.509-SVID problems). The text
    /// table fits <paramref name="width"/> unless <c>-o wide</c>.
    /// </summary>
    public int List(SourceSpec source, CertsListFormat format, TimeProvider at, int width, TextWriter output)
    {
        RefuseCertificateFile(source);
        var loaded = loader.Load(source);
        var inventory = CertificateInventory.From(loaded.Snapshot);
        if (format == CertsListFormat.Html)
        {
            var count = inventory.Groups.Sum(g => g.Certificates.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var header = HtmlReports.Header("certs", source, loaded, at.GetUtcNow(), $"{count} certificates listed: exit 0 (certs lists; 'envoylens analyze' judges)");
            output.Write(CertificateTimeline.Render(header, inventory, at.GetUtcNow()));
            return ExitCodes.Ok;
        }

        var (rows, problems) = CertificateStatus.Rows(inventory, at.GetUtcNow());
        var tables = new List<Table> { CertificatesView.Build(rows, format == CertsListFormat.Table ? width : null) };
        if (problems.Count > 0 || format == CertsListFormat.Json)
        {
            tables.Add(CertificatesView.Problems(problems));
        }

        TableRenderer.Write(tables, format == CertsListFormat.Json ? OutputFormat.Json : OutputFormat.Table, output);
        if (rows.Count == 0 && format != CertsListFormat.Json)
        {
            output.Write(NoCertificates(loaded.Snapshot) + "\n");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Why the list is empty, and for a linkerd2-proxy where its certificate can be read instead.</summary>
    private static string NoCertificates(EnvoySnapshot snapshot) => snapshot.Proxy == ProxyKind.Linkerd2Proxy
        ? "No certificates: a linkerd2-proxy's /metrics holds none" +
          (snapshot.Linkerd?.Identity.CertificateExpiry is { } expiry ? $" (its identity certificate expires at {TimeText.Utc(expiry)}, by identity_cert_expiration_timestamp_seconds)" : string.Empty) +
          "; 'envoylens snapshot --pod NAME.NAMESPACE' reads the chain it presents into presented_chain.pem, for 'envoylens certs inspect' or 'certs linkerd --presented'."
        : "No certificates: the capture holds no certificate (no secrets, /certs or inline TLS certificates).";

    /// <summary>
    /// <c>certs compare A B</c>: 0 when both directions would succeed, 1 when a side would reject the other, 2 when it
    /// cannot be told (a capture without any certificate) and nothing is known to fail.
    /// </summary>
    public int Compare(SourceSpec a, SourceSpec b, TimeProvider at, TextOrJson format, TextWriter output)
    {
        var when = at.GetUtcNow();
        var sa = loader.Load(a).Snapshot;
        var sb = loader.Load(b).Snapshot;
        var result = TrustComparison.Compare(new TrustSide("A", sa), new TrustSide("B", sb), when);
        output.Write(format == TextOrJson.Json ? CertificatesJson.Compare(a.Path, b.Path, result) : CertificatesText.Compare(a.Path, b.Path, result));
        return CertificatesText.Verdict(result) switch
        {
            "fail" => ExitCodes.Findings,
            "unknown" => ExitCodes.InputOrUsageError,
            _ => ExitCodes.Ok,
        };
    }

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
}
