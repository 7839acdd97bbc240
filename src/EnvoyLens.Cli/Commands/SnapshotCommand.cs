using System.CommandLine;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens snapshot SOURCE -o DIR|FILE.tar.gz</c>: writes a redacted snapshot bundle.</summary>
internal static class SnapshotCommand
{
    public static Command Create(SnapshotService service, TextWriter output)
    {
        var command = new Command("snapshot",
            "Capture a proxy (--pod or --admin) into a snapshot bundle (directory or .tar.gz) that every command reads " +
            "back; secrets are redacted in memory before anything is written unless --no-redact, and the bundle appears only when " +
            "complete. With --control-plane or --istiod it also asks the control plane (read-only) for this proxy's status and config " +
            "and adds them as control_plane.json; if it cannot be read, nothing is written. Ctrl-C (SIGINT) or SIGTERM deletes the partial capture and exits 130.");
        var source = new SourceOptions();
        source.AddTo(command);
        var to = new Option<string>("--output", "-o")
        {
            Description = "Where to write the bundle: a new directory, or a FILE.tar.gz.",
            HelpName = "DIR|FILE.tar.gz",
            Required = true,
        };
        var interval = new Option<string?>("--interval")
        {
            Description = "Also take a second /stats sample after this long (e.g. 10s), for rates.",
            HelpName = "DURATION",
        };
        var noRedact = new Option<bool>("--no-redact")
        {
            Description = "Keep secrets in the bundle as Envoy returned them.",
        };
        var tlsProbe = new Option<bool>("--tls-probe")
        {
            Description = "Also read the certificate chain an Envoy pod presents on its inbound port 15006 (a TLS handshake only: no client certificate, no data) into presented_chain.pem; Linkerd pods are always probed, on 4143.",
        };
        var controlPlane = new ControlPlaneOptions(sharesSourceOptions: true);
        command.Options.Add(to);
        command.Options.Add(tlsProbe);
        command.Options.Add(interval);
        command.Options.Add(noRedact);
        controlPlane.AddTo(command);
        command.SetAction(parse =>
        {
            var spec = source.Bind(parse, ignorePath: false, kubernetesElsewhere: controlPlane.IsIstiod(parse));
            var every = parse.GetValue(interval) is { } text ? SourceOptions.ParseDuration(text, "--interval") : (TimeSpan?)null;
            if (every is not null && !spec.IsLive)
            {
                throw new EnvoyLensException("--interval needs a live source (--pod or --admin).");
            }

            return service.Run(new SnapshotRequest(spec, parse.GetValue(to)!, every, !parse.GetValue(noRedact)) { ControlPlane = controlPlane.BindIfGiven(parse, spec.Live), TlsProbe = parse.GetValue(tlsProbe) }, output);
        });
        return command;
    }
}
