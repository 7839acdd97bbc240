using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// Builds the tables of one <see cref="ViewKind"/>. <see cref="ViewKind.All"/> is istioctl's <c>proxy-config all</c>:
/// bootstrap, clusters, listeners, routes, secrets, endpoints (istioctl's order), then ECDS, each row naming its
/// resource (<c>cluster/NAME</c>, <c>listener/NAME</c>, <c>route/NAME</c>, <c>secret/NAME</c>, <c>endpoint/ADDRESS</c>).
/// </summary>
public static class ConfigViews
{
    public static IReadOnlyList<Table> Build(ViewKind kind, EnvoySnapshot snapshot, ViewOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        options ??= new ViewOptions();
        var all = options with { Names = true };
        return kind switch
        {
            ViewKind.Bootstrap => [BootstrapView.Build(snapshot)],
            ViewKind.Clusters => [ClustersView.Build(snapshot, options.Clusters, options)],
            ViewKind.Listeners => [ListenersView.Build(snapshot, options.Listeners, options)],
            ViewKind.Routes => [RoutesView.Build(snapshot, options.Routes, options)],
            ViewKind.Endpoints => [EndpointsView.Build(snapshot, options.Endpoints, options)],
            ViewKind.Secrets => [WithSources(snapshot, SecretsView.Build(snapshot, options.Clock, options.SecretChain))],
            ViewKind.Ecds => [EcdsView.Build(snapshot)],
            ViewKind.All =>
            [
                BootstrapView.Build(snapshot),
                ClustersView.Build(snapshot, options.Clusters, all),
                ListenersView.Build(snapshot, options.Listeners, all),
                RoutesView.Build(snapshot, options.Routes, all),
                Named(WithSources(snapshot, SecretsView.Build(snapshot, options.Clock, options.SecretChain)), "secret/"),
                EndpointsView.Build(snapshot, options.Endpoints, all),
                EcdsView.Build(snapshot),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown view."),
        };
    }

    /// <summary>The secrets table's rows come from the secret named in their first column (RESOURCE NAME).</summary>
    private static Table WithSources(EnvoySnapshot snapshot, Table secrets) => secrets with
    {
        Sources = secrets.Sources.Count > 0 ? secrets.Sources : secrets.Rows.Select(r => r.Count > 0 && r[0].Value is string name
            ? new RowSource(EnvoyLens.Core.ResourceKind.Secret, name)
            : null).ToList(),
        EmptyReason = secrets.EmptyReason ?? (secrets.Rows.Count > 0 ? null : Empty.Reason(snapshot, "secrets", ConfigSection.Secrets, snapshot.Secrets.Count > 0)),
    };

    /// <summary>The first column prefixed with <paramref name="prefix"/> (istioctl's <c>secret/NAME</c>).</summary>
    private static Table Named(Table table, string prefix) => table with
    {
        Rows = table.Rows.Select(r => (IReadOnlyList<Cell>)r.Select((c, i) => i == 0 && c.Value is string s ? Cell.Of(prefix + s) : c).ToArray()).ToList(),
    };
}
