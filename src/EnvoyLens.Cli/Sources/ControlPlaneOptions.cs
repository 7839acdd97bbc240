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
}

/// <summary>
/// The options of a command that asks a control plane: <c>--control-plane</c>, the TLS options, <c>--token</c> and
/// <c>--timeout</c>. A command adds them with <see cref="AddTo"/> and reads them with <see cref="Bind"/>.
/// </summary>
internal sealed class ControlPlaneOptions
{
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

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_address);
        command.Options.Add(_ca);
        command.Options.Add(_cert);
        command.Options.Add(_key);
        command.Options.Add(_insecure);
        command.Options.Add(_token);
        command.Options.Add(_timeout);
    }

    public ControlPlaneSpec Bind(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var address = result.GetValue(_address)
            ?? throw new EnvoyLensException("no control plane named; give --control-plane http://HOST:PORT (istiod: 15010) or https://HOST:PORT (istiod: 15012 with --token).");
        var spec = new ControlPlaneSpec(address, result.GetValue(_timeout) is { } t ? SourceOptions.ParseDuration(t, "--timeout") : LiveOptions.DefaultTimeout)
        {
            CaFile = result.GetValue(_ca),
            CertFile = result.GetValue(_cert),
            KeyFile = result.GetValue(_key),
            InsecureSkipVerify = result.GetValue(_insecure),
            TokenFile = result.GetValue(_token),
        };
        var https = address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var tlsOption = spec.CaFile is not null ? "--ca" : spec.CertFile is not null ? "--cert" : spec.KeyFile is not null ? "--key" : spec.InsecureSkipVerify ? "--insecure-skip-verify" : null;
        if (!https && tlsOption is not null)
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
