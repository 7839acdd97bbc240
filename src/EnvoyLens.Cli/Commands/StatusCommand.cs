using System.CommandLine;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens status --control-plane ADDR | --istiod [PROXY]</c>: every proxy's sync status as the control plane reports it.</summary>
internal static class StatusCommand
{
    public static Command Create(StatusService service, TextWriter output)
    {
        var command = new Command("status",
            "Ask a control plane (read-only: CSDS, or Istio's debug xDS as istioctl does) whether each proxy is in sync: one row " +
            "per proxy with the columns of istioctl proxy-status (NAME, CLUSTER, CDS, LDS, EDS, RDS, ECDS, CONTROL PLANE, " +
            "VERSION), each type SYNCED, NOT SENT, STALE or ERROR (a NACK, whose text follows the table). Exit 0 when every " +
            "listed proxy is in sync, 1 when one is STALE or ERROR, 2 when the control plane cannot be read or the command line is wrong.");
        var proxy = new Argument<string?>("PROXY")
        {
            Description = "Show only this proxy: POD.NAMESPACE, POD with --namespace, or a node id.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var ns = new Option<string?>("--namespace", "-n")
        {
            Description = "Show only the proxies of this namespace.",
            HelpName = "NAMESPACE",
        };
        var format = OutputOptions.Status();
        var connection = new ControlPlaneOptions();
        command.Arguments.Add(proxy);
        connection.AddTo(command);
        command.Options.Add(ns);
        format.AddTo(command);
        command.SetAction(parse => service.Run(
            new StatusRequest(connection.Bind(parse), parse.GetValue(proxy), parse.GetValue(ns), format.Get(parse)),
            output));
        return command;
    }
}
