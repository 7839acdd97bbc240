using EnvoyLens.Admin.ControlPlane;
using EnvoyLens.Admin.Kubernetes;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Sources;

/// <summary>Opens the control-plane client a <see cref="ControlPlaneSpec"/> describes: reads the token, warns about an unchecked certificate.</summary>
internal static class ControlPlaneConnector
{
    /// <summary>The largest token file read (a service-account token is about 1 KiB).</summary>
    private const int MaxTokenBytes = 64 << 10;

    public static ControlPlaneClient Open(ControlPlaneSpec spec, Notices notices)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (token, source) = ReadToken(spec.TokenFile);
        if (spec.Istiod)
        {
            var tls = spec.Address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            var istiod = PodConnector.ConnectIstiodAsync(
                    spec.IstioNamespace, spec.Revision, spec.Context, spec.Kubeconfig, spec.Timeout, notices.Messages, tls, requestToken: tls && token is null)
                .GetAwaiter().GetResult();
            if (tls && spec.InsecureSkipVerify)
            {
                notices.Notice($"envoylens: WARNING: --insecure-skip-verify: the certificate of istiod {istiod.Display} is NOT checked; anyone between here and there can read these calls (and the token) and answer them.");
            }

            return new ControlPlaneClient(istiod with
            {
                Token = istiod.Token ?? token,
                TokenSource = istiod.TokenSource ?? source,
                CaFile = spec.CaFile,
                CertFile = spec.CertFile,
                KeyFile = spec.KeyFile,
                InsecureSkipVerify = spec.InsecureSkipVerify,
            });
        }

        var address = ControlPlaneTarget.ParseAddress(spec.Address, "--control-plane");
        if (spec.InsecureSkipVerify)
        {
            notices.Notice($"envoylens: WARNING: --insecure-skip-verify: the certificate of {address.GetLeftPart(UriPartial.Authority)} is NOT checked; anyone between here and there can read these calls (and the token) and answer them.");
        }

        return new ControlPlaneClient(new ControlPlaneTarget
        {
            Address = address,
            CaFile = spec.CaFile,
            CertFile = spec.CertFile,
            KeyFile = spec.KeyFile,
            InsecureSkipVerify = spec.InsecureSkipVerify,
            Token = token,
            TokenSource = source,
            Timeout = spec.Timeout,
        });
    }

    private static (string? Token, string? Source) ReadToken(string? file)
    {
        if (file is null)
        {
            return (null, null);
        }

        string text;
        string source;
        try
        {
            if (file == "-")
            {
                source = "standard input";
                var buffer = new char[MaxTokenBytes + 1];
                var read = Console.In.ReadBlock(buffer, 0, buffer.Length);
                text = new string(buffer, 0, read);
                if (read > MaxTokenBytes)
                {
                    throw new EnvoyLensException($"the token on standard input (--token -) is longer than {MaxTokenBytes} bytes; is it a token?");
                }
            }
            else
            {
                source = $"'{file}'";
                if (new FileInfo(file).Length > MaxTokenBytes)
                {
                    throw new EnvoyLensException($"the token file '{file}' (--token) is larger than {MaxTokenBytes} bytes; is it a token?");
                }

                text = File.ReadAllText(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvoyLensException($"cannot read the token file '{file}' (--token): {e.Message.TrimEnd('.')}.", e);
        }

        var token = text.Trim();
        if (token.Length == 0 || token.Any(c => c <= ' ' || c >= 0x7f))
        {
            throw new EnvoyLensException($"the token from {source} (--token) is {(token.Length == 0 ? "empty" : "not one line of printable ASCII")}.");
        }

        return (token, source);
    }
}
