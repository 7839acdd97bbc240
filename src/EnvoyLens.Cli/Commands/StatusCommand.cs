using System.CommandLine;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens status --control-plane ADDR | --istiod [PROXY | PROXY_SOURCE]</c>: every proxy's sync status as the control plane reports it, or one proxy's config against the control plane's.</summary>
internal static class StatusCommand
{
    public static Command Create(StatusService service, TextWriter output)
    {
        var command = new Command("status",
            "Ask a control plane (read-only: CSDS, or Istio's debug xDS as istioctl does) whether each proxy is in sync: one row " +
            "per proxy with the columns of istioctl proxy-status (NAME, CLUSTER, CDS, LDS, EDS, RDS, ECDS, CONTROL PLANE, " +
            "VERSION), each type SYNCED, NOT SENT, STALE or ERROR (a NACK, whose text follows the table with --details or -o wide). Exit 0 when every " +
            "listed proxy is in sync, 1 when one is STALE or ERROR, 2 when the control plane cannot be read or the command line is wrong. " +
            "Given a proxy source instead of a name, compares that proxy's config with the control plane's (exit 1 when they differ).");
        var proxy = new Argument<string?>("PROXY")
        {
            Description = "Show only this proxy: POD.NAMESPACE, POD with --namespace, or a node id. Or a proxy source (an existing config dump file, " +
                "bundle or folder, an admin URL http://HOST:PORT, or pod/NAME[.NAMESPACE][@CONTEXT] with --namespace, --context, --kubeconfig) to compare " +
                "that proxy's config with the control plane's config for its node (from its bootstrap), like istioctl proxy-status POD: one line per kind " +
                "(Match / Don't Match), then each resource that differs; exit 1 when they differ. A PROXY is a source when it names an existing file or " +
                "folder, or starts with pod/, http:// or https://.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var ns = new Option<string?>("--namespace", "-n")
        {
            Description = "Show only the proxies of this namespace (with a pod/NAME source: the pod's namespace).",
            HelpName = "NAMESPACE",
        };
        var details = new Option<bool>("--details")
        {
            Description = "After the table, one line per NACK: proxy, type, resource, rejected version and the control plane's error text (-o wide, json and yaml always carry it).",
        };
        var format = OutputOptions.Status();
        var connection = new ControlPlaneOptions();
        command.Arguments.Add(proxy);
        connection.AddTo(command);
        command.Options.Add(ns);
        format.AddTo(command);
        command.Options.Add(details);
        command.SetAction(parse => service.Run(
            new StatusRequest(
                connection.Bind(parse, kubernetesElsewhere: StatusService.IsProxySource(parse.GetValue(proxy)) && parse.GetValue(proxy)!.StartsWith("pod/", StringComparison.Ordinal)),
                parse.GetValue(proxy),
                parse.GetValue(ns),
                format.Get(parse)) { Details = parse.GetValue(details) },
            output));
        return command;
    }
}
