using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// <c>istioctl proxy-config ecds</c>: every ECDS filter config, sorted by type URL then name; TYPE is the
/// type URL without <c>type.googleapis.com/</c>, empty when the config has no typed config.
/// </summary>
public static class EcdsView
{
    private const string TypeUrlPrefix = "type.googleapis.com/";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("ECDS NAME", "ecdsName"),
        new("TYPE", "type"),
    ];

    public static Table Build(EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var configs = snapshot.Ecds
            .OrderBy(e => e.Extension.TypeUrl ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        var rows = configs.Select(e => (IReadOnlyList<Cell>)[Cell.Of(e.Name), Cell.Of(TypeText(e.Extension.TypeUrl))]).ToList();
        return new Table("ecds", "ECDS", Columns, rows)
        {
            Sources = configs.Select(e => (RowSource?)new RowSource(ResourceKind.Ecds, e.Name, e.Meta.Pointer)).ToList(),
            EmptyReason = rows.Count > 0 ? null : Empty.Reason(snapshot, "ECDS filters", ConfigSection.Ecds, false),
        };
    }

    private static string TypeText(string? typeUrl) =>
        typeUrl is null ? "" : typeUrl.StartsWith(TypeUrlPrefix, StringComparison.Ordinal) ? typeUrl[TypeUrlPrefix.Length..] : typeUrl;
}
