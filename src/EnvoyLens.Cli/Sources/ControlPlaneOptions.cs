using System.CommandLine;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Sources;

/// <summary>How to reach a control plane, as given on the command line (files are read when connecting).</summary>
internal sealed record ControlPlaneSpec(string Address, TimeSpan Timeout)
{
    public string? CaFile { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public bool InsecureSkipVerify { get; init; }

    /// <summary>A file holding the bearer token, or <c>-</c> for standard input.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Find istiod through Kubernetes and port-forward to it (then <see cref="Address"/> only says which port: http:// for 15010, https:// for 15012).</summary>
    public bool Istiod { get; init; }

    public string IstioNamespace { get; init; } = "istio-system";

    public string? Revision { get; init; }

    public string? Context { get; init; }

    public string? Kubeconfig { get; init; }
}

/// <summary>
/// The options of a command that asks a control plane: <c>--control-plane</c>, the TLS options, <c>--token</c> and
/// <c>--timeout</c>. A command adds them with <see cref="AddTo"/> and reads them with <see cref="Bind"/>.
/// </summary>
internal sealed class ControlPlaneOptions(bool sharesSourceOptions = false, bool connectionOnly = false)
{
    /// <summary>
    /// For a command whose inputs may be <c>csds://</c> or <c>istiod://</c> sources (<c>diff</c>): only how to connect
    /// (TLS, token, istiod's namespace); the address is in the source, the Kubernetes options and timeout are the sources'.
    /// </summary>
    public static ControlPlaneOptions ForSources() => new(sharesSourceOptions: true, connectionOnly: true);

    private readonly Option<string?> _address = new("--control-plane")
    {
        Description = "The control plane's gRPC address: http://HOST:PORT for plaintext HTTP/2 (istiod: 15010), https://HOST:PORT for TLS (istiod: 15012, with --token). Asks CSDS FetchClientStatus, then StreamClientStatus, then Istio's debug xDS, whichever the server implements.",
        HelpName = "URL",
    };

    private readonly Option<string?> _ca = new("--ca")
    {
        Description = "With https://, a PEM file of the CA certificates the control plane's certificate must chain to (istiod: the mesh root, e.g. from the istio-ca-root-cert config map); default the system's.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _cert = new("--cert")
    {
        Description = "With https://, a PEM client certificate for mutual TLS (with --key).",
        HelpName = "FILE",
    };

    private readonly Option<string?> _key = new("--key")
    {
        Description = "The PEM private key of --cert.",
        HelpName = "FILE",
    };

    private readonly Option<bool> _insecure = new("--insecure-skip-verify")
    {
        Description = "With https://, do not check the control plane's certificate (a warning is printed; for a test only).",
    };

    private readonly Option<string?> _token = new("--token")
    {
        Description = "A file holding a bearer token sent with every call, or - to read it from standard input (istiod's 15012 wants a service-account token of audience istio-ca: kubectl create token SA --audience istio-ca).",
        HelpName = "FILE|-",
    };

    private readonly Option<string?> _timeout = new("--timeout")
    {
        Description = "How long to wait for the control plane's answer, e.g. 10s, 2m (default 30s).",
        HelpName = "DURATION",
    };

    private readonly Option<bool> _istiod = new("--istiod")
    {
        Description = "Find istiod through Kubernetes (label app=istiod in --istio-namespace) and ask it through a port-forward to its plaintext xDS port 15010 (needs RBAC 'list pods' and 'create pods/portforward' there). With --ca or --insecure-skip-verify, its TLS port 15012 instead, sending a 10-minute token of audience istio-ca for the service account 'default' of istiod's namespace, requested through the Kubernetes TokenRequest API (RBAC 'create serviceaccounts/token'), unless --token is given.",
    };

    private readonly Option<string?> _istioNamespace = new("--istio-namespace", "-i")
    {
        Description = "With --istiod, the namespace of istiod (default istio-system).",
        HelpName = "NAMESPACE",
    };

    private readonly Option<string?> _revision = new("--revision", "-r")
    {
        Description = "With --istiod, the revision of istiod (label istio.io/rev).",
        HelpName = "REVISION",
    };

    private readonly Option<string?> _context = new("--context")
    {
        Description = "With --istiod or a pod/ PROXY source, the kubeconfig context to use; default the current context.",
        HelpName = "NAME",
    };

    private readonly Option<string?> _kubeconfig = new("--kubeconfig")
    {
        Description = "With --istiod or a pod/ PROXY source, the kubeconfig file; default $KUBECONFIG, else ~/.kube/config.",
        HelpName = "PATH",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (connectionOnly)
        {
            _istioNamespace.Description = "For an istiod:// input, the namespace of istiod (default istio-system).";
            _ca.Description = "For a csds:// or istiod:// input: connect with TLS (istiod: port 15012) and check the control plane's certificate against the CA certificates of this PEM file.";
            _cert.Description = "For a csds:// or istiod:// input: connect with TLS and present this PEM client certificate (with --key).";
            _insecure.Description = "For a csds:// or istiod:// input: connect with TLS without checking the control plane's certificate (a warning is printed; for a test only).";
            _token.Description = "For a csds:// or istiod:// input: a file holding a bearer token, or - for standard input (without it, istiod:// over TLS requests one through the Kubernetes TokenRequest API).";
            command.Options.Add(_istioNamespace);
            command.Options.Add(_ca);
            command.Options.Add(_cert);
            command.Options.Add(_key);
            command.Options.Add(_insecure);
            command.Options.Add(_token);
            return;
        }

        command.Options.Add(_address);
        command.Options.Add(_istiod);
        command.Options.Add(_istioNamespace);
        command.Options.Add(_revision);
        if (!sharesSourceOptions)
        {
            command.Options.Add(_context);
            command.Options.Add(_kubeconfig);
        }

        command.Options.Add(_ca);
        command.Options.Add(_cert);
        command.Options.Add(_key);
        command.Options.Add(_insecure);
        command.Options.Add(_token);
        if (!sharesSourceOptions)
        {
            command.Options.Add(_timeout);
        }
    }

    /// <summary>
    /// For a command that also reads a proxy (<c>snapshot</c>): null when no control plane is named; else the control
    /// plane, with <c>--context</c>, <c>--kubeconfig</c> and <c>--timeout</c> taken from the proxy's options.
    /// </summary>
    public ControlPlaneSpec? BindIfGiven(ParseResult result, LiveOptions live)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(live);
        if (result.GetValue(_address) is null && !result.GetValue(_istiod))
        {
            var alone = result.GetValue(_istioNamespace) is not null ? "--istio-namespace" : result.GetValue(_revision) is not null ? "--revision"
                : result.GetValue(_ca) is not null ? "--ca" : result.GetValue(_cert) is not null ? "--cert" : result.GetValue(_key) is not null ? "--key"
                : result.GetValue(_insecure) ? "--insecure-skip-verify" : result.GetValue(_token) is not null ? "--token" : null;
            return alone is null ? null : throw new EnvoyLensException($"{alone} applies only with --control-plane or --istiod.");
        }

        return Bind(result) with { Timeout = live.Timeout, Context = live.Context, Kubeconfig = live.Kubeconfig };
    }

    /// <summary>
    /// For <see cref="ForSources"/>: how to connect to the <c>csds://</c> and <c>istiod://</c> inputs, or null when no
    /// connection option was given. The address is a placeholder saying only plaintext (<c>http://</c>) or TLS (<c>https://</c>).
    /// </summary>
    public ControlPlaneSpec? BindConnection(ParseResult result, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(result);
        var spec = new ControlPlaneSpec("http://", timeout)
        {
            IstioNamespace = result.GetValue(_istioNamespace) ?? "istio-system",
            CaFile = result.GetValue(_ca),
            CertFile = result.GetValue(_cert),
            KeyFile = result.GetValue(_key),
            InsecureSkipVerify = result.GetValue(_insecure),
            TokenFile = result.GetValue(_token),
        };
        if ((spec.CertFile is null) != (spec.KeyFile is null))
        {
            throw new EnvoyLensException("--cert and --key go together: give the client certificate and its private key.");
        }

        var tls = spec.CaFile is not null || spec.CertFile is not null || spec.InsecureSkipVerify;
        var given = tls || spec.TokenFile is not null || result.GetValue(_istioNamespace) is not null;
        return !given ? null : spec with { Address = tls ? "https://" : "http://" };
    }

    /// <summary>The option names of <see cref="ForSources"/>, for a message when no input uses them.</summary>
    public static string ConnectionOptionNames => "--ca, --cert, --key, --insecure-skip-verify, --token and --istio-namespace";

    /// <summary>Whether <c>--istiod</c> was given (then the command reads the cluster, with <c>--context</c> and <c>--kubeconfig</c>).</summary>
    public bool IsIstiod(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetValue(_istiod);
    }

    /// <summary>The control plane named; with <paramref name="kubernetesElsewhere"/> (a pod/ input also reads the cluster) <c>--context</c> and <c>--kubeconfig</c> apply without <c>--istiod</c>.</summary>
    public ControlPlaneSpec Bind(ParseResult result, bool kubernetesElsewhere = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var istiod = result.GetValue(_istiod);
        var given = result.GetValue(_address);
        if (istiod && given is not null)
        {
            throw new EnvoyLensException("name the control plane once: --control-plane ADDR or --istiod, not both.");
        }

        var kubernetesOption = result.GetValue(_istioNamespace) is not null ? "--istio-namespace" : result.GetValue(_revision) is not null ? "--revision"
            : sharesSourceOptions || kubernetesElsewhere ? null
            : result.GetValue(_context) is not null ? "--context" : result.GetValue(_kubeconfig) is not null ? "--kubeconfig" : null;
        if (!istiod && kubernetesOption is not null)
        {
            throw new EnvoyLensException($"{kubernetesOption} applies only to --istiod.");
        }

        var address = istiod ? "http://127.0.0.1:15010" : given
            ?? throw new EnvoyLensException("no control plane named; give --control-plane http://HOST:PORT (istiod: 15010) or https://HOST:PORT (istiod: 15012 with --token), or --istiod.");
        var spec = new ControlPlaneSpec(address, !sharesSourceOptions && result.GetValue(_timeout) is { } t ? SourceOptions.ParseDuration(t, "--timeout") : LiveOptions.DefaultTimeout)
        {
            Istiod = istiod,
            IstioNamespace = result.GetValue(_istioNamespace) ?? "istio-system",
            Revision = result.GetValue(_revision),
            Context = sharesSourceOptions ? null : result.GetValue(_context),
            Kubeconfig = sharesSourceOptions ? null : result.GetValue(_kubeconfig),
            CaFile = result.GetValue(_ca),
            CertFile = result.GetValue(_cert),
            KeyFile = result.GetValue(_key),
            InsecureSkipVerify = result.GetValue(_insecure),
            TokenFile = result.GetValue(_token),
        };
        var https = address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var tlsOption = spec.CaFile is not null ? "--ca" : spec.CertFile is not null ? "--cert" : spec.KeyFile is not null ? "--key" : spec.InsecureSkipVerify ? "--insecure-skip-verify" : null;
        if (istiod && tlsOption is not null)
        {
            // A TLS option with --istiod means istiod's TLS port 15012 (and a token, requested unless --token).
            spec = spec with { Address = "https://127.0.0.1:15012" };
        }
        else if (!https && tlsOption is not null)
        {
            throw new EnvoyLensException($"{tlsOption} applies only to an https:// control plane, and '{address}' is not one.");
        }

        if ((spec.CertFile is null) != (spec.KeyFile is null))
        {
            throw new EnvoyLensException("--cert and --key go together: give the client certificate and its private key.");
        }

        return spec;
    }
}
