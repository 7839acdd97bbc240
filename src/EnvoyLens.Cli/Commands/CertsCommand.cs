using System.CommandLine;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens certs [PATH]</c> and <c>certs inspect | verify | compare | linkerd</c>.</summary>
internal static class CertsCommand
{
    public static Command Create(CertsService service, TimeProvider clock, TextWriter output)
    {
        var command = new Command("certs",
            "Show every certificate of a capture (SDS secrets, inline TLS contexts): position in chain, subject, SANs, SPIFFE ID, " +
            "issuer, serial, key, signature, validity, time left, share of lifetime used and status.");
        var source = new SourceOptions();
        source.AddTo(command);
        var format = OutputOptions.CertsList().AddTo(command);
        var at = new AtOption().AddTo(command);
        command.SetAction(parse =>
        {
            var kind = format.Get(parse);
            return service.List(source.Bind(parse), kind, at.Get(parse, clock), CertsService.TableWidth(output), output);
        });
        var subcommands = new[] { Inspect(clock, output), Verify(clock, output), Compare(service, clock, output), Linkerd(clock, output) };
        foreach (var subcommand in subcommands)
        {
            command.Subcommands.Add(subcommand);
        }

        HideParentArgumentsInHelp(command, subcommands);
        return command;
    }

    /// <summary>
    /// The capture argument of <c>certs</c> belongs to listing, not to its subcommands: their help (usage line and
    /// arguments) leaves it out. It is hidden only while a subcommand is being parsed, so <c>certs --help</c> still shows it.
    /// </summary>
    private static void HideParentArgumentsInHelp(Command parent, IEnumerable<Command> subcommands)
    {
        foreach (var subcommand in subcommands)
        {
            subcommand.Validators.Add(_ =>
            {
                foreach (var argument in parent.Arguments)
                {
                    argument.Hidden = true;
                }
            });
        }
    }

    private static Command Inspect(TimeProvider clock, TextWriter output)
    {
        var command = new Command("inspect", "Show every certificate of PEM or DER files in full, like 'openssl x509 -text', with its status and, for a certificate " +
            "with a spiffe:// URI, its X.509-SVID problems. Exit 2 when no certificate could be read.");
        var files = new Argument<string[]>("FILE") { Description = "PEM (.pem, .crt, any number of blocks) or DER files.", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(files);
        var format = OutputOptions.TextOrJson(acceptTable: true).AddTo(command);
        var at = new AtOption().AddTo(command);
        command.SetAction(parse => CertFilesService.Inspect(parse.GetValue(files) ?? [], format.Get(parse), at.Get(parse, clock), output));
        return command;
    }

    private static Command Verify(TimeProvider clock, TextWriter output)
    {
        var command = new Command("verify",
            "Validate a certificate path with RFC 5280 semantics: the first certificate of LEAF (the rest of LEAF and --untrusted " +
            "may help build the path, in any order) to a --roots anchor. Prints the verdict in one sentence naming the certificate " +
            "and the check, then the X.509-SVID problems of the path's certificates. Exit 0 valid, 1 invalid, 2 unusable input.");
        var leaf = new Argument<string>("LEAF") { Description = "PEM or DER file whose first certificate is verified." };
        var roots = new Option<string[]>("--roots") { Description = "Trust anchors (repeatable).", HelpName = "FILE", Required = true };
        var untrusted = new Option<string[]>("--untrusted") { Description = "Untrusted intermediates (repeatable).", HelpName = "FILE" };
        var at = new AtOption();
        var name = new Option<string?>("--name") { Description = "A DNS name, IP address or spiffe:// ID the leaf must carry.", HelpName = "DNS|IP|spiffe://..." };
        var purpose = new ChoiceOption<CertificatePurpose>("--purpose", null, "Check extended key usage for a TLS server or client.", "server|client", CertificatePurpose.Any, null)
            .With("server", CertificatePurpose.Server)
            .With("client", CertificatePurpose.Client)
            .With("any", CertificatePurpose.Any, listed: false);
        var profile = new ChoiceOption<ValidationProfile>("--profile", null,
            "Issuance rules the path must also meet: mesh (default; tolerates the key identifiers and non-critical basic " +
            "constraints mesh CAs omit, as Envoy does), rfc5280 (every MUST of RFC 5280's profile) or webpki (RFC 5280 plus the " +
            "CA/Browser Forum TLS server rules).",
            "mesh|rfc5280|webpki", ValidationProfile.Mesh, null)
            .With("mesh", ValidationProfile.Mesh)
            .With("rfc5280", ValidationProfile.Rfc5280)
            .With("webpki", ValidationProfile.WebPki);
        command.Arguments.Add(leaf);
        command.Options.Add(roots);
        command.Options.Add(untrusted);
        at.AddTo(command);
        command.Options.Add(name);
        purpose.AddTo(command);
        profile.AddTo(command);
        var format = OutputOptions.TextOrJson(acceptTable: true).AddTo(command);
        command.SetAction(parse => CertFilesService.Verify(
            new CertsVerifyRequest(parse.GetValue(leaf)!, parse.GetValue(roots) ?? [], parse.GetValue(untrusted) ?? [], at.Get(parse, clock), parse.GetValue(name),
                purpose.Get(parse), profile.Get(parse)),
            format.Get(parse),
            output));
        return command;
    }

    private static Command Linkerd(TimeProvider clock, TextWriter output)
    {
        var command = new Command("linkerd",
            "Run linkerd check's identity checks offline on Linkerd's trust anchors and issuer certificate: certificate config, the anchors' " +
            "algorithm, validity and 60 days left, the issuer's algorithm (ECDSA P-256), validity, 60 days left and path to a trust anchor, " +
            "and the issuer's name against the identity domain. One line per check. Exit 0 when none failed (the 60-day checks only " +
            "warn), 1 when one failed, 2 unusable input.");
        var anchors = new Option<string?>("--anchors") { Description = "The trust anchors (PEM), as in the linkerd-identity-trust-roots ConfigMap.", HelpName = "FILE" };
        var issuer = new Option<string?>("--issuer") { Description = "The issuer certificate (PEM; its key is never needed), as in the linkerd-identity-issuer Secret.", HelpName = "FILE" };
        var fromCluster = new Option<bool>("--from-cluster")
        {
            Description = "Read the trust anchors from the linkerd-identity-trust-roots ConfigMap and the issuer certificate (never its key) from the " +
                "linkerd-identity-issuer Secret through the Kubernetes API, instead of --anchors and --issuer.",
        };
        var linkerdNamespace = new Option<string>("--linkerd-namespace") { Description = "Linkerd's control-plane namespace (with --from-cluster).", HelpName = "NS", DefaultValueFactory = _ => "linkerd" };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context (with --from-cluster).", HelpName = "NAME" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig file (with --from-cluster); default $KUBECONFIG, else ~/.kube/config.", HelpName = "PATH" };
        var domain = new Option<string>("--identity-domain") { Description = "The identity trust domain; the issuer must be named identity.linkerd.DOMAIN.", HelpName = "DOMAIN", DefaultValueFactory = _ => "cluster.local" };
        command.Options.Add(anchors);
        command.Options.Add(issuer);
        var presented = new Option<string?>("--presented") { Description = "A proxy's presented certificate chain (PEM, leaf first; a Linkerd snapshot's presented_chain.pem): adds the check \"data plane proxies certificate match CA\".", HelpName = "FILE" };
        command.Options.Add(fromCluster);
        command.Options.Add(linkerdNamespace);
        command.Options.Add(context);
        command.Options.Add(kubeconfig);
        command.Options.Add(domain);
        command.Options.Add(presented);
        var at = new AtOption().AddTo(command);
        var format = OutputOptions.TextOrJson(acceptTable: true).AddTo(command);
        command.SetAction(parse =>
        {
            var (anchorsFile, issuerFile, cluster) = (parse.GetValue(anchors), parse.GetValue(issuer), parse.GetValue(fromCluster));
            if (cluster == (anchorsFile is not null || issuerFile is not null) || (!cluster && (anchorsFile is null || issuerFile is null)))
            {
                throw new EnvoyLensException("give either --anchors FILE and --issuer FILE, or --from-cluster.");
            }

            return cluster
                ? CertFilesService.LinkerdFromCluster(parse.GetValue(linkerdNamespace) ?? "linkerd", parse.GetValue(context), parse.GetValue(kubeconfig), parse.GetValue(domain) ?? "cluster.local",
                    at.Get(parse, clock), format.Get(parse), output, parse.GetValue(presented))
                : CertFilesService.Linkerd(anchorsFile!, issuerFile!, parse.GetValue(domain) ?? "cluster.local", at.Get(parse, clock), format.Get(parse), output, parse.GetValue(presented));
        });
        return command;
    }

    private static Command Compare(CertsService service, TimeProvider clock, TextWriter output)
    {
        var command = new Command("compare",
            "Compare the trust of two captures (files, bundles, admin URLs or pods): shared trust anchors, and for each direction whether the client " +
            "accepts the server's certificate, the server the client's, and the client's SPIFFE SAN matchers the server's identity. " +
            "Exit 0 when both directions would succeed, 1 when a side would reject the other, 2 when it cannot be told (a capture " +
            "without any certificate) or the input is unusable.");
        var sources = SourceOptions.Positional(
            ("A", "The first capture: a file, a bundle or folder of admin outputs, an admin URL (http://HOST:PORT) or pod/NAME.NAMESPACE[@CONTEXT]."),
            ("B", "The second capture, in any of the same forms."));
        sources.AddTo(command);
        var at = new AtOption().AddTo(command);
        var format = OutputOptions.TextOrJson(acceptTable: true).AddTo(command);
        command.SetAction(parse =>
        {
            var sides = sources.BindSides(parse);
            return service.Compare(sides[0], sides[1], at.Get(parse, clock), format.Get(parse), output);
        });
        return command;
    }
}
