using System.CommandLine;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens trace SOURCE TARGET</c>: one request followed through the proxy, hop by hop.</summary>
internal static class TraceCommand
{
    public static Command Create(TraceService service, TextWriter output)
    {
        var command = new Command("trace",
            "Follow one request through the proxy hop by hop (listener, filter chain, network and HTTP filters, route " +
            "configuration, virtual host, route, cluster, endpoints, upstream TLS) with Envoy's own precedence, and say " +
            "where and why it stops, with the response flag Envoy logs (NR, NC, UH, RBAC ...). Exit codes: 0 forwarded to " +
            "an upstream with a healthy (or unknown-health) endpoint; 1 it would fail or a hop that decides it is not " +
            "evaluated; 2 unusable input or TARGET.");
        var source = new SourceOptions();
        source.AddTo(command);
        var target = new Argument<string?>("TARGET")
        {
            Description = "The request: http://HOST[:PORT]/PATH?QUERY, https://HOST[:PORT]/PATH (TLS from the application, SNI = HOST), tcp://HOST:PORT or grpc://HOST:PORT/package.Service/Method; a missing port is 80 (443 for https).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        command.Arguments.Add(target);
        var method = Add(command, new Option<string?>("--method", "-X") { Description = "The HTTP method; default GET (POST for grpc://).", HelpName = "METHOD" });
        var headers = Add(command, new Option<string[]>("--header", "-H") { Description = "A request header as NAME=VALUE (or NAME:VALUE); repeat it. host or :authority replace the URL's host.", HelpName = "NAME=VALUE" });
        var address = Add(command, new Option<string?>("--address") { Description = "The destination IP the application connected to; default an IP the proxy associates with the host (an Istio service VIP, a cluster endpoint), else the wildcard listener.", HelpName = "IP" });
        var from = Add(command, new Option<string?>("--source") { Description = "The downstream address as IP or IP:PORT, for filter chains that match on the source; default unknown.", HelpName = "IP[:PORT]" });
        var principal = Add(command, new Option<string?>("--source-principal") { Description = "The downstream peer's identity for RBAC authenticated principals, e.g. spiffe://cluster.local/ns/default/sa/reviews; default unknown (policies that depend on it are reported as unknown).", HelpName = "SPIFFE_ID" });
        var sni = Add(command, new Option<string?>("--sni") { Description = "The TLS server name the client sends; default the host for https://, none otherwise.", HelpName = "NAME" });
        var alpn = Add(command, new Option<string?>("--alpn") { Description = "The ALPN protocols the client offers, comma-separated (e.g. h2,http/1.1); default derived from the scheme.", HelpName = "LIST" });
        var inbound = Add(command, new Option<bool>("--inbound") { Description = "The request arrives at this proxy's workload (Istio's virtualInbound listener on 15006) instead of leaving it." });
        var routeConfig = Add(command, new Option<string?>("--route-config") { Description = "Start at this route configuration instead of a listener (for a capture without listeners, or a gateway's route).", HelpName = "NAME" });
        var peer = Add(command, new Option<string?>("--peer") { Description = "A capture of the upstream proxy (a file, a bundle, an admin URL or pod/NAME.NAMESPACE[@CONTEXT]): at the upstream TLS hop, say whether each side accepts the other's certificate and the cluster's SAN matchers the peer's identity (certs compare); a refusal stops the request with UF.", HelpName = "SOURCE" });
        var all = Add(command, new Option<bool>("--all") { Description = "Show every candidate that lost at each hop, and why." });
        var format = OutputOptions.TextJsonOrHtml("Output format: text, json (schema envoylens-trace/v1) or html (one self-contained page, the hops as a path).").AddTo(command);
        var at = new AtOption("Judge certificate validity (the upstream TLS and --peer hops) at this instant (ISO 8601, UTC when no offset is given) instead of now.").AddTo(command);
        command.SetAction(parse =>
        {
            var path = source.PathToken(parse);
            var targetText = parse.GetValue(target);
            var pathIsTarget = targetText is null && path is not null;
            var request = new TraceInvocation(
                source.Bind(parse, ignorePath: pathIsTarget),
                pathIsTarget ? path! : targetText,
                parse.GetValue(method),
                parse.GetValue(headers) ?? [],
                parse.GetValue(address),
                parse.GetValue(from),
                parse.GetValue(sni),
                parse.GetValue(alpn),
                parse.GetValue(inbound),
                parse.GetValue(all),
                format.Get(parse))
            {
                RouteConfig = parse.GetValue(routeConfig),
                SourcePrincipal = parse.GetValue(principal),
                Peer = parse.GetValue(peer) is { } p ? SourceSpec.Parse(p) : null,
                At = parse.GetValue(at.Option),
            };
            return service.Run(request, output);
        });
        return command;
    }

    private static Option<T> Add<T>(Command command, Option<T> option)
    {
        command.Options.Add(option);
        return option;
    }
}
