using System.CommandLine;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Reporting.Views;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens config VIEW [PATH]</c>: istioctl proxy-config style tables of one capture.</summary>
internal static class ConfigCommand
{
    public static Command Create(ConfigViewService service, TextWriter output)
    {
        var config = new Command("config", "Show a proxy's configuration as tables, like 'istioctl proxy-config', or the selected resources' full configuration as JSON / YAML.");
        config.Subcommands.Add(View(service, output, ViewKind.Bootstrap, "bootstrap", "Node identity, versions, admin address, ADS cluster and static resource counts."));
        config.Subcommands.Add(View(service, output, ViewKind.Clusters, "clusters", "Active clusters: SERVICE FQDN, PORT, SUBSET, DIRECTION, TYPE, DESTINATION RULE.", Clusters));
        config.Subcommands.Add(View(service, output, ViewKind.Listeners, "listeners", "Active listeners, one row per filter chain: ADDRESSES, PORT, MATCH, DESTINATION.", Listeners));
        config.Subcommands.Add(View(service, output, ViewKind.Routes, "routes", "Routes of every route configuration: NAME, VHOST NAME, DOMAINS, MATCH, VIRTUAL SERVICE.", Routes));
        config.Subcommands.Add(View(service, output, ViewKind.Endpoints, "endpoints", "Endpoints from /clusters and EDS: ENDPOINT, STATUS, OUTLIER CHECK, LOCALITY, CLUSTER.", Endpoints));
        config.Subcommands.Add(View(service, output, ViewKind.Secrets, "secrets", "SDS secrets, one row per secret (its first certificate) or per SPIFFE trust domain: TYPE, STATUS, VALID CERT, SERIAL NUMBER, NOT AFTER, NOT BEFORE, TRUST DOMAIN, CHAIN.", Secrets));
        config.Subcommands.Add(View(service, output, ViewKind.Ecds, "ecds", "Extension configs delivered by ECDS: ECDS NAME, TYPE."));
        config.Subcommands.Add(View(service, output, ViewKind.All, "all", "Every view above, one after the other.", Secrets));
        return config;
    }

    /// <summary>Adds a view's own options and returns how to read them into <see cref="ViewOptions"/>.</summary>
    private delegate Func<ParseResult, ViewOptions, ViewOptions> FilterBinder(Command command, ConfigViewService service);

    private static Command View(ConfigViewService service, TextWriter output, ViewKind kind, string name, string description, FilterBinder? filters = null)
    {
        var command = new Command(name, description);
        var source = new SourceOptions();
        source.AddTo(command);
        var format = OutputOptions.Config().AddTo(command);
        var bind = filters?.Invoke(command, service) ?? ((_, o) => o);
        var showSecrets = ShowSecretsOption.AddTo(command);
        command.SetAction(parse =>
        {
            var request = new ConfigRequest(
                kind,
                ShowSecretsOption.Apply(source.Bind(parse), parse, showSecrets),
                format.Get(parse),
                bind(parse, new ViewOptions { Clock = service.Clock }));
            return service.Run(request, output);
        });
        return command;
    }

    private static Func<ParseResult, ViewOptions, ViewOptions> Clusters(Command command, ConfigViewService service)
    {
        var fqdn = Add(command, new Option<string?>("--fqdn") { Description = "Only clusters whose name contains this FQDN.", HelpName = "FQDN" });
        var port = Add(command, new Option<int?>("--port") { Description = "Only clusters of this port.", HelpName = "PORT" });
        var subset = Add(command, new Option<string?>("--subset") { Description = "Only clusters whose name contains this subset.", HelpName = "SUBSET" });
        var direction = Add(command, new Option<string?>("--direction") { Description = "Only clusters of this direction: inbound, outbound or inbound-vip (any case).", HelpName = "DIRECTION" });
        return (p, o) => o with { Clusters = new ClusterFilter(p.GetValue(fqdn), p.GetValue(port), p.GetValue(subset), p.GetValue(direction)) };
    }

    private static Func<ParseResult, ViewOptions, ViewOptions> Listeners(Command command, ConfigViewService service)
    {
        var address = Add(command, new Option<string?>("--address") { Description = "Only listeners bound to this address.", HelpName = "ADDRESS" });
        var port = Add(command, new Option<int?>("--port") { Description = "Only listeners on this port.", HelpName = "PORT" });
        var type = Add(command, new Option<string?>("--type") { Description = "Only listeners of this type: HTTP, TCP, HTTP+TCP or UNKNOWN (any case).", HelpName = "TYPE" });
        return (p, o) => o with { Listeners = new ListenerFilter(p.GetValue(address), p.GetValue(port), p.GetValue(type)) };
    }

    private static Func<ParseResult, ViewOptions, ViewOptions> Routes(Command command, ConfigViewService service)
    {
        var name = Add(command, new Option<string?>("--name") { Description = "Only the route configuration of this name.", HelpName = "NAME" });
        return (p, o) => o with { Routes = new RouteFilter(p.GetValue(name)) };
    }

    private static Func<ParseResult, ViewOptions, ViewOptions> Endpoints(Command command, ConfigViewService service)
    {
        var address = Add(command, new Option<string?>("--address") { Description = "Only endpoints with this address.", HelpName = "ADDRESS" });
        var port = Add(command, new Option<int?>("--port") { Description = "Only endpoints on this port.", HelpName = "PORT" });
        var cluster = Add(command, new Option<string?>("--cluster") { Description = "Only endpoints of this cluster.", HelpName = "CLUSTER" });
        var status = Add(command, new Option<string?>("--status") { Description = "Only endpoints with this health status: HEALTHY, UNHEALTHY, DRAINING, TIMEOUT, DEGRADED or UNKNOWN (any case).", HelpName = "STATUS" });
        return (p, o) => o with { Endpoints = new EndpointFilter(p.GetValue(address), p.GetValue(port), p.GetValue(cluster), p.GetValue(status)) };
    }

    private static Func<ParseResult, ViewOptions, ViewOptions> Secrets(Command command, ConfigViewService service)
    {
        var at = new AtOption("Judge certificate validity at this instant (ISO 8601, e.g. 2025-01-31T12:00:00Z); default now.").AddTo(command);
        var chain = Add(command, new Option<bool>("--chain") { Description = "One row per certificate of each chain or bundle, with its POSITION (0 is the first)." });
        return (p, o) => o with { Clock = at.Get(p, service.Clock), SecretChain = p.GetValue(chain) };
    }

    private static Option<T> Add<T>(Command command, Option<T> option)
    {
        command.Options.Add(option);
        return option;
    }
}
