using System.Globalization;
using System.Runtime.InteropServices;
using EnvoyLens.Admin;
using EnvoyLens.Admin.Bundles;
using EnvoyLens.Admin.Live;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Core.Redaction;
using EnvoyLens.Decoding.Documents;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens snapshot</c> was asked for. <paramref name="Interval"/> asks for a second stats sample.</summary>
internal sealed record SnapshotRequest(SourceSpec Source, string Output, TimeSpan? Interval, bool Redact)
{
    /// <summary>Also ask this control plane for the captured proxy's status and config (<c>control_plane.json</c>).</summary>
    public ControlPlaneSpec? ControlPlane { get; init; }

    /// <summary><c>--tls-probe</c>: also read the chain an Envoy pod presents on its inbound port 15006 (Linkerd pods are always probed, on 4143).</summary>
    public bool TlsProbe { get; init; }
}

/// <summary>
/// <c>envoylens snapshot SOURCE -o DIR|FILE.tar.gz</c>: captures every endpoint of <see cref="CapturePlan.Full"/>
/// (or re-packs a file or bundle), redacts secrets in memory before anything is written unless told not to, and
/// writes a bundle (BUNDLE.md) that appears only when complete. SIGINT (Ctrl-C) and SIGTERM cancel the capture and
/// delete the staging folder; the command then exits <see cref="Interrupted"/>.
/// </summary>
internal sealed class SnapshotService(SnapshotLoader loader, TimeProvider clock)
{
    /// <summary>The exit code after SIGINT or SIGTERM (128 + SIGINT, as shells report it).</summary>
    internal const int Interrupted = 130;

    public int Run(SnapshotRequest request, TextWriter output)
    {
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var staging = BundleWriter.CreateStaging(request.Output);
        try
        {
            var capturedAt = clock.GetUtcNow();
            var redactor = new StagingRedactor(request.Redact);
            var (files, target) = request.Source.IsLive
                ? CaptureLive(request, staging, redactor, interrupt.Token)
                : (CopyDocuments(request.Source, staging, redactor), new BundleTarget("file", request.Source.Path, null, null, null));
            interrupt.Token.ThrowIfCancellationRequested();
            if (request.ControlPlane is { } controlPlane)
            {
                files = [.. files, ControlPlaneCapture.Capture(controlPlane, request.Source, staging, files, redactor, loader.Notices, clock.GetUtcNow())];
                interrupt.Token.ThrowIfCancellationRequested();
            }

            var manifest = BundleWriter.Complete(staging, files, target, capturedAt, ToolInfo.NameAndVersion);
            BundleWriter.Publish(staging, manifest, request.Output);
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"wrote {request.Output}: {manifest.Files.Count} files, {(request.Redact ? $"{manifest.Redactions.Count} values redacted" : "not redacted")}.\n"));
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            BundleWriter.Discard(staging);
            throw new SnapshotInterruptedException($"snapshot of {request.Source.Path} interrupted; the partial capture was deleted and '{request.Output}' was not written.");
        }
        catch
        {
            BundleWriter.Discard(staging);
            throw;
        }

        void Stop(PosixSignalContext context)
        {
            // Keep the process alive until the staging folder is gone; the capture sees the cancellation and unwinds.
            context.Cancel = true;
            interrupt.Cancel();
        }
    }

    private (IReadOnlyList<StagedFile> Files, BundleTarget Target) CaptureLive(
        SnapshotRequest request, string staging, StagingRedactor redactor, CancellationToken cancellationToken)
    {
        using var client = loader.OpenClient(request.Source);
        var captured = LiveCapture.CaptureAsync(client, CapturePlan.FullFor(client.Target.Proxy), staging, null, cancellationToken, Redact).GetAwaiter().GetResult().ToList();
        if (request.Interval is { } interval)
        {
            Task.Delay(interval, clock, cancellationToken).GetAwaiter().GetResult();
            var second = CapturePlan.SecondSample(client.Target.Proxy);
            captured.AddRange(LiveCapture.CaptureAsync(client, second, staging, null, cancellationToken, Redact).GetAwaiter().GetResult());
        }

        var t = client.Target;
        if (request.TlsProbe && t.OpenPort is null)
        {
            throw new EnvoyLensException("--tls-probe needs a pod (--pod): the probe reaches the proxy's inbound port through the pod's port-forward.");
        }

        var probed = t.OpenPort is not { } openPort ? null
            : t.Proxy == ProxyKind.Linkerd2Proxy ? ProbePresentedChain(t, openPort, LinkerdInboundPort, LinkerdIdentity(t), staging, cancellationToken)
            : request.TlsProbe ? ProbePresentedChain(t, openPort, EnvoyInboundPort, EnvoyProbeName(t), staging, cancellationToken)
            : null;
        var target = t.Kind == "pod"
            ? new BundleTarget("pod", t.Name, t.Container, t.Port, null)
            : new BundleTarget("admin", t.BaseAddress.GetLeftPart(UriPartial.Authority), null, t.Port, t.BaseAddress.GetLeftPart(UriPartial.Authority));
        var files = captured
            .Select(c => new StagedFile(BundleManifest.EndpointName(c.Item.Endpoint), c.Item.FileName, c.Response.PathAndQuery, c.Response.CapturedAt)
            {
                Redactions = redactor.RedactionsOf(c.Item.FileName),
            })
            .ToList();
        if (probed is not null)
        {
            files.Add(probed);
        }

        return (files, target);

        ReadOnlyMemory<byte> Redact(CaptureItem item, ReadOnlyMemory<byte> body) => redactor.Apply(item.FileName, body, item.PathAndQuery);
    }

    /// <summary>linkerd2-proxy's inbound TLS port, whose presented certificate peers validate.</summary>
    internal const int LinkerdInboundPort = 4143;

    /// <summary>An Istio sidecar's inbound port (iptables sends a pod's inbound traffic there), whose chain peers validate.</summary>
    internal const int EnvoyInboundPort = 15006;

    /// <summary>The pod's identity in Linkerd's default identity domain (<c>SA.NS.serviceaccount.identity.linkerd.cluster.local</c>).</summary>
    private static string LinkerdIdentity(AdminTarget target) =>
        $"{target.ServiceAccount ?? "default"}.{Namespace(target)}.serviceaccount.identity.linkerd.cluster.local";

    /// <summary>The server name sent to an Envoy sidecar's inbound port: Istio's chains do not match on it; the pod's service name form is used.</summary>
    private static string EnvoyProbeName(AdminTarget target) =>
        $"{(target.Name is { } n && n.LastIndexOf('.') is var dot and > 0 ? n[..dot] : "pod")}.{Namespace(target)}.svc.cluster.local";

    private static string Namespace(AdminTarget target) =>
        target.Name is { } n && n.LastIndexOf('.') is var dot and > 0 ? n[(dot + 1)..] : "default";

    /// <summary>
    /// The certificate chain the proxy presents on its inbound port <paramref name="inbound"/> (a handshake only: no
    /// client certificate, no data), as PEM in <c>presented_chain.pem</c>.
    /// </summary>
    private StagedFile ProbePresentedChain(AdminTarget target, Func<int, CancellationToken, ValueTask<Stream>> openPort, int inbound, string identity, string staging, CancellationToken cancellationToken)
    {
        var port = inbound.ToString(CultureInfo.InvariantCulture);
        var chain = TlsProbe.ReadAsync(ct => openPort(inbound, ct), $"{target.Display.Split(" port ")[0]} port {port}", identity, TimeSpan.FromSeconds(30), cancellationToken)
            .GetAwaiter().GetResult();
        var pem = string.Concat(chain.Certificates.Select(der =>
            "-----BEGIN CERTIFICATE-----\n" + string.Join('\n', Convert.ToBase64String(der).Chunk(64).Select(c => new string(c))) + "\n-----END CERTIFICATE-----\n"));
        const string name = "presented_chain.pem";
        File.WriteAllText(Path.Combine(staging, name), pem);
        loader.Notices.Messages?.Write($"envoylens: read the certificate chain presented on port {port} ({chain.Certificates.Count.ToString(CultureInfo.InvariantCulture)} certificates; TLS handshake only).\n");
        return new StagedFile("presented_chain", name, $"tls://:{port} (handshake only, server name {identity})", clock.GetUtcNow());
    }

    /// <summary>A file or bundle re-packed: each document under its endpoint's name.</summary>
    private IReadOnlyList<StagedFile> CopyDocuments(SourceSpec source, string staging, StagingRedactor redactor)
    {
        var raw = loader.ReadRaw(source);
        var files = new List<StagedFile>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in raw.Documents)
        {
            var endpoint = BundleManifest.EndpointName(document.Endpoint);
            var content = document.Content;
            if (redactor.Enabled && document.Endpoint == AdminEndpoint.ConfigDump && !JsonRedactor.LooksLikeJson(content))
            {
                // A YAML dump (istioctl -o yaml) is stored as the JSON it reads as, so that it is redacted like any other.
                content = ConfigDumpDocument.Read(content, document.Source, source.Proxy).Json;
            }

            var extension = AdminEndpoints.Of(document.Endpoint).IsText
                || content.AsSpan().TrimStart(" \t\r\n"u8) is not [(byte)'{', ..] ? ".txt" : ".json";
            var name = endpoint + extension;
            for (var i = 2; !used.Add(name); i++)
            {
                name = endpoint + "." + i.ToString(CultureInfo.InvariantCulture) + extension;
            }

            redactor.Write(staging, name, content, document.Source);
            files.Add(new StagedFile(endpoint, name, null, document.CapturedAt ?? raw.CapturedAt) { Redactions = redactor.RedactionsOf(name) });
        }

        return files;
    }
}

/// <summary>A snapshot stopped by SIGINT or SIGTERM; its message says nothing was left behind.</summary>
internal sealed class SnapshotInterruptedException(string message) : EnvoyLensException(message);
