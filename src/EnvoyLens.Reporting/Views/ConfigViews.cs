using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>Builds the tables of one <see cref="ViewKind"/> (all of them, in a fixed order, for <see cref="ViewKind.All"/>).</summary>
public static class ConfigViews
{
    public static IReadOnlyList<Table> Build(ViewKind kind, EnvoySnapshot snapshot, ViewOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        options ??= new ViewOptions();
        return kind switch
        {
            ViewKind.Bootstrap => [BootstrapView.Build(snapshot)],
            ViewKind.Clusters => [ClustersView.Build(snapshot, options.Clusters)],
            ViewKind.Listeners => [ListenersView.Build(snapshot, options.Listeners)],
            ViewKind.Routes => [RoutesView.Build(snapshot, options.Routes)],
            ViewKind.Endpoints => [EndpointsView.Build(snapshot, options.Endpoints)],
            ViewKind.Secrets => [SecretsView.Build(snapshot, options.Clock, options.SecretChain)],
            ViewKind.Ecds => [EcdsView.Build(snapshot)],
            ViewKind.All =>
            [
                BootstrapView.Build(snapshot),
                ClustersView.Build(snapshot, options.Clusters),
                ListenersView.Build(snapshot, options.Listeners),
                RoutesView.Build(snapshot, options.Routes),
                EndpointsView.Build(snapshot, options.Endpoints),
                SecretsView.Build(snapshot, options.Clock, options.SecretChain),
                EcdsView.Build(snapshot),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown view."),
        };
    }
}
