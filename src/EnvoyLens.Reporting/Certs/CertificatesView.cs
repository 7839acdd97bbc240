using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Certs;

/// <summary>One certificate as the <c>certs</c> table shows it; plain values, already formatted by the caller.</summary>
public sealed record CertificateRow(
    string Source,
    int Position,
    string Subject,
    IReadOnlyList<string> SubjectAltNames,
    string? SpiffeId,
    string Issuer,
    string Serial,
    string Key,
    string SignatureAlgorithm,
    string NotBefore,
    string NotAfter,
    string TimeLeft,
    string LifetimeUsed,
    string Status);

/// <summary>The <c>certs</c> view: one row per certificate of every chain and trust bundle, in source then position order.</summary>
public static class CertificatesView
{
    private static readonly Column[] Columns =
    [
        new("SOURCE", "source"), new("POS", "position"), new("SUBJECT", "subject"), new("SANS", "subjectAltNames"),
        new("SPIFFE ID", "spiffeId"), new("ISSUER", "issuer"), new("SERIAL", "serial"), new("KEY", "key"),
        new("SIGNATURE", "signatureAlgorithm"), new("NOT BEFORE", "notBefore"), new("NOT AFTER", "notAfter"),
        new("TIME LEFT", "timeLeft"), new("USED", "lifetimeUsed"), new("STATUS", "status"),
    ];

    public static Table Build(IReadOnlyList<CertificateRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cells = rows.Select(r => (IReadOnlyList<Cell>)
        [
            Cell.Of(r.Source), Cell.Number(r.Position), Cell.Of(r.Subject, "-"), Cell.List(r.SubjectAltNames.Count == 0 ? "-" : string.Join(",", r.SubjectAltNames), r.SubjectAltNames),
            Cell.Of(r.SpiffeId, "-"), Cell.Of(r.Issuer, "-"), Cell.Of(r.Serial), Cell.Of(r.Key), Cell.Of(r.SignatureAlgorithm),
            Cell.Of(r.NotBefore), Cell.Of(r.NotAfter), Cell.Of(r.TimeLeft), Cell.Of(r.LifetimeUsed), Cell.Of(r.Status),
        ]).ToList();
        return new Table("certificates", "Certificates", Columns, cells, Padding: 2);
    }

    /// <summary>Problems (unreadable blocks) as a second table: source, block, message.</summary>
    public static Table Problems(IReadOnlyList<(string Source, string Block, string Message)> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return new Table("problems", "Problems", [new("SOURCE", "source"), new("BLOCK", "block"), new("PROBLEM", "problem")],
            problems.Select(p => (IReadOnlyList<Cell>)[Cell.Of(p.Source), Cell.Of(p.Block, "-"), Cell.Of(p.Message)]).ToList(), Padding: 2);
    }
}
