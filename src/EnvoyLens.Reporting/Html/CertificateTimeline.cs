using System.Globalization;
using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Certs;

namespace EnvoyLens.Reporting.Html;

/// <summary>
/// The certificates section of the HTML reports: an inline SVG timeline with one bar per certificate of every chain
/// and trust bundle (not-before to not-after, coloured by its time status at the judged instant, which is marked),
/// then the table with the <c>certs</c> columns, then the problems.
/// </summary>
public static class CertificateTimeline
{
    private const int LabelWidth = 420;
    private const int BarWidth = 760;
    private const int RowHeight = 20;
    private const int Top = 34;

    /// <summary>The colour and word of each time status; the legend lists them in this order.</summary>
    private static readonly (TimeStatus Status, string Word, string Label, string Colour)[] Statuses =
    [
        (TimeStatus.Valid, "valid", "valid", "#2da44e"),
        (TimeStatus.RotationOverdue, "rotation-overdue", "rotation overdue", "#f66a0a"),
        (TimeStatus.ExpiringSoon, "ca-expiring", "CA expiring soon", "#bf8700"),
        (TimeStatus.Expired, "expired", "expired", "#d73a49"),
        (TimeStatus.NotYetValid, "not-yet-valid", "not yet valid", "#8c959f"),
    ];

    /// <summary><c>certs -o html</c>: the header, then this section.</summary>
    public static string Render(ReportHeader header, CertificateInventory inventory, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(inventory);
        var counts = Statuses
            .Select(s => (s.Label, Count: inventory.Groups.SelectMany(g => g.Certificates).Count(c => CertificateChecks.TimeStatusOf(c, at, CertificatePolicy.Default) == s.Status)))
            .Where(x => x.Count > 0)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Count} {x.Label}"));
        var w = HtmlPage.Begin(header, [("Certificates", string.Join(", ", counts) is { Length: > 0 } text ? text : "none")]);
        Write(w, inventory, at);
        return HtmlPage.End(w);
    }

    public static void Write(HtmlWriter w, CertificateInventory inventory, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(inventory);
        var certificates = inventory.Groups
            .SelectMany(g => g.Certificates.Select(c => (Group: g, Cert: c)))
            .ToList();
        var (rows, problems) = CertificateStatus.Rows(inventory, at);
        w.Open("section", ("id", "certificates")).Element("h2", string.Create(CultureInfo.InvariantCulture, $"Certificates ({certificates.Count})")).Line();
        if (certificates.Count == 0)
        {
            w.Element("p", "The capture holds no certificate.", ("class", "note"));
        }
        else
        {
            WriteLegend(w);
            WriteTimeline(w, certificates, at);
            WriteTable(w, rows);
        }

        if (problems.Count > 0)
        {
            w.Element("h3", "Problems").Open("table").Open("tr").Element("th", "SOURCE").Element("th", "BLOCK").Element("th", "PROBLEM").Close("tr");
            foreach (var (source, block, message) in problems)
            {
                w.Open("tr").Element("td", source).Element("td", block).Element("td", message).Close("tr");
            }

            w.Close("table");
        }

        w.Close("section").Line();
    }

    private static void WriteLegend(HtmlWriter w)
    {
        w.Open("p", ("class", "legend"));
        foreach (var (_, _, label, colour) in Statuses)
        {
            w.Open("span").Open("i", ("style", "background:" + colour)).Close("i").Text(label).Close("span");
        }

        w.Open("span").Open("i", ("style", "background:#1f2328;width:2px")).Close("i").Text("judged instant").Close("span");
        w.Close("p");
    }

    private static void WriteTimeline(HtmlWriter w, List<(CertificateGroup Group, EnvoyLens.Certs.Parsing.CertificateInfo Cert)> certificates, DateTimeOffset at)
    {
        var start = certificates.Min(c => c.Cert.NotBefore);
        var end = certificates.Max(c => c.Cert.NotAfter);
        start = at < start ? at : start;
        end = at > end ? at : end;
        var span = Math.Max(1.0, (end - start).TotalSeconds);
        double X(DateTimeOffset t) => LabelWidth + ((t - start).TotalSeconds / span * BarWidth);
        var height = Top + (certificates.Count * RowHeight) + 10;
        var width = LabelWidth + BarWidth + 20;
        w.Open("div", ("class", "svgbox"));
        w.Open("svg", ("id", "certificate-timeline"), ("xmlns", "http://www.w3.org/2000/svg"), ("width", N(width)), ("height", N(height)),
            ("viewBox", $"0 0 {N(width)} {N(height)}"), ("role", "img"), ("aria-label", "Certificate validity timeline"));
        for (var i = 0; i <= 4; i++)
        {
            var t = start.AddSeconds(span * i / 4);
            var x = X(t);
            w.Void("line", ("x1", N(x)), ("y1", N(Top - 6)), ("x2", N(x)), ("y2", N(height - 6)), ("stroke", "#d0d7de"));
            w.Element("text", t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ("x", N(x)), ("y", "14"), ("text-anchor", i == 0 ? "start" : i == 4 ? "end" : "middle"), ("fill", "#57606a"));
        }

        for (var i = 0; i < certificates.Count; i++)
        {
            var (group, c) = certificates[i];
            var y = Top + (i * RowHeight);
            var status = CertificateChecks.TimeStatusOf(c, at, CertificatePolicy.Default);
            var (_, word, label, colour) = Statuses.First(s => s.Status == status);
            var role = group.Role == CertificateRole.TrustedCa ? " (trusted CA)" : "";
            var name = $"{group.Source}{role} #{N(c.Index)} {c.Label}";
            w.Element("text", Shorten(name, 64), ("x", "4"), ("y", N(y + 13)), ("fill", "#1f2328"));
            var x1 = X(c.NotBefore);
            var barWidth = Math.Max(3, X(c.NotAfter) - x1);
            w.Open("rect", ("class", "cert-bar"), ("data-status", word), ("x", N(x1)), ("y", N(y + 3)), ("width", N(barWidth)), ("height", N(RowHeight - 6)), ("rx", "2"), ("fill", colour));
            w.Element("title", $"{name}: {TimeText.Utc(c.NotBefore)} to {TimeText.Utc(c.NotAfter)}, {label}").Close("rect").Line();
        }

        var ax = X(at);
        w.Void("line", ("id", "judged-instant"), ("x1", N(ax)), ("y1", N(Top - 16)), ("x2", N(ax)), ("y2", N(height - 4)), ("stroke", "#1f2328"), ("stroke-width", "2"));
        w.Element("text", "judged " + TimeText.Utc(at), ("x", N(ax + 4)), ("y", N(Top - 6)), ("fill", "#1f2328"), ("text-anchor", ax > LabelWidth + (BarWidth * 0.7) ? "end" : "start"));
        w.Close("svg").Close("div").Line();
    }

    private static void WriteTable(HtmlWriter w, IReadOnlyList<CertificateRow> rows)
    {
        w.Open("div", ("class", "tablebox")).Open("table", ("id", "certificate-table")).Open("tr");
        foreach (var h in new[] { "SOURCE", "POS", "SUBJECT", "SANS", "SPIFFE ID", "ISSUER", "SERIAL", "KEY", "SIGNATURE", "NOT BEFORE", "NOT AFTER", "TIME LEFT", "USED", "STATUS" })
        {
            w.Element("th", h);
        }

        w.Close("tr").Line();
        foreach (var r in rows)
        {
            w.Open("tr").Element("td", r.Source).Element("td", N(r.Position)).Element("td", Dash(r.Subject))
                .Element("td", r.SubjectAltNames.Count == 0 ? "-" : string.Join(", ", r.SubjectAltNames)).Element("td", Dash(r.SpiffeId))
                .Element("td", Dash(r.Issuer)).Element("td", r.Serial).Element("td", r.Key).Element("td", r.SignatureAlgorithm)
                .Element("td", r.NotBefore).Element("td", r.NotAfter).Element("td", r.TimeLeft).Element("td", r.LifetimeUsed).Element("td", r.Status)
                .Close("tr").Line();
        }

        w.Close("table").Close("div");
    }

    private static string Dash(string? s) => string.IsNullOrEmpty(s) ? "-" : s;

    internal static string Shorten(string s, int max) => s.Length <= max ? s : string.Concat(s.AsSpan(0, max - 3), "...");

    private static string N(double v) => HtmlWriter.Number(v);
}
