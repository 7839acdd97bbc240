using System.Globalization;
using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Spiffe;

namespace EnvoyLens.Reporting.Certs;

/// <summary>One certificate as judged at an instant: its fields, status and X.509-SVID problems.</summary>
public sealed record JudgedCertificate(CertificateInfo Certificate, string Status, IReadOnlyList<string> SvidProblems);

/// <summary>A certificate's status and its <c>certs</c> table row, as every <c>certs</c> output words them.</summary>
public static class CertificateStatus
{
    /// <summary>The certificate judged at <paramref name="at"/>, with the detailed status <c>certs inspect</c> and <c>verify</c> print.</summary>
    public static JudgedCertificate Judge(CertificateInfo c, DateTimeOffset at, IReadOnlyList<string> svidProblems)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(svidProblems);
        return new JudgedCertificate(c, Of(c, at, detailed: true, svidProblems.Count > 0), svidProblems);
    }

    /// <summary>
    /// The <c>certs</c> table of an inventory judged at <paramref name="at"/>: one row per certificate of every group
    /// (trusted CAs marked as such), and the problems (unreadable blocks, then each certificate's X.509-SVID problems).
    /// </summary>
    public static (IReadOnlyList<CertificateRow> Rows, IReadOnlyList<(string Source, string Block, string Message)> Problems) Rows(CertificateInventory inventory, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var rows = new List<CertificateRow>();
        var problems = inventory.Problems.Select(p => (p.Origin, p.Index?.ToString(CultureInfo.InvariantCulture) ?? "", p.Message)).ToList();
        foreach (var group in inventory.Groups)
        {
            var source = group.Source + (group.Role == CertificateRole.TrustedCa ? " (trusted CA)" : "");
            for (var i = 0; i < group.Certificates.Count; i++)
            {
                var c = group.Certificates[i];

                // In its chain when the group is a presented chain, else on its own.
                var svid = group.Leaf is not null ? SvidChecks.CheckAt(group.Certificates, i) : SvidChecks.Check(c);
                rows.Add(Row(source, c, at, svid.Count > 0));
                problems.AddRange(svid.Select(p => (group.Source, c.Index.ToString(CultureInfo.InvariantCulture), p)));
            }
        }

        return (rows, problems);
    }

    /// <summary>The certificate as one row of the <c>certs</c> table.</summary>
    private static CertificateRow Row(string source, CertificateInfo c, DateTimeOffset at, bool svidNonconformant) =>
        new(source, c.Index, c.Subject, c.SubjectAltNames, c.SpiffeId, c.Issuer, c.SerialNumberHex, c.KeyDescription,
            c.SignatureAlgorithm, Time(c.NotBefore), Time(c.NotAfter), CertificateChecks.TimeLeft(c, at), CertificateChecks.Percent(CertificateChecks.LifetimeUsed(c, at)),
            Of(c, at, detailed: false, svidNonconformant));

    /// <summary>
    /// A certificate's status as the <c>certs</c> table shows it (VALID, EXPIRED, NOT YET VALID, ROTATION OVERDUE,
    /// EXPIRING SOON, then WEAK and SVID NONCONFORMANT); <paramref name="detailed"/> adds when it expired or starts.
    /// </summary>
    public static string Of(CertificateInfo c, DateTimeOffset at, bool detailed, bool svidNonconformant)
    {
        ArgumentNullException.ThrowIfNull(c);
        var status = CertificateChecks.TimeStatusOf(c, at, CertificatePolicy.Default) switch
        {
            TimeStatus.Expired => detailed ? $"EXPIRED since {Time(c.NotAfter)}" : "EXPIRED",
            TimeStatus.NotYetValid => detailed ? $"NOT YET VALID until {Time(c.NotBefore)}" : "NOT YET VALID",
            TimeStatus.RotationOverdue => "ROTATION OVERDUE",
            TimeStatus.ExpiringSoon => "EXPIRING SOON",
            _ => "VALID",
        };
        if (CertificateChecks.StrengthProblems(c, CertificatePolicy.Default).Count > 0)
        {
            status += ", WEAK";
        }

        if (svidNonconformant)
        {
            status += ", SVID NONCONFORMANT";
        }

        return status;
    }

    internal static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
