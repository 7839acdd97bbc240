using EnvoyLens.Admin;
using EnvoyLens.Admin.Kubernetes;
using EnvoyLens.Admin.Live;
using EnvoyLens.Cli.Services;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Decoding.ControlPlane;
using EnvoyLens.Model;

namespace EnvoyLens.Cli.Sources;

/// <summary>A capture as read (bytes) and as decoded.</summary>
internal sealed record LoadedSnapshot(RawSnapshot Raw, EnvoySnapshot Snapshot);

/// <summary>
/// Reads a <see cref="SourceSpec"/> into a decoded snapshot: files and bundles from disk, admin URLs and pods through
/// the read-only <see cref="AdminClient"/>. A path that does not exist, an unreachable proxy, or a capture with a
/// document that could not be read, is an <see cref="EnvoyLensException"/> (one sentence naming the file or target).
/// </summary>
internal sealed class SnapshotLoader(TimeProvider clock, Notices notices)
{
    /// <summary>Where the commands reading through this loader write their notices.</summary>
    public Notices Notices => notices;


    public LoadedSnapshot Load(SourceSpec source)
    {
        var raw = ReadRaw(source);
        var snapshot = SnapshotDecoder.Decode(raw, new DecodeOptions { Proxy = source.Proxy, ShowSecrets = source.ShowSecrets });
        ThrowIfUnreadable(snapshot);
        return new LoadedSnapshot(raw, snapshot);
    }

    /// <summary>The bytes of <paramref name="source"/>, undecoded.</summary>
    public RawSnapshot ReadRaw(SourceSpec source)
    {
        switch (source.Kind)
        {
            case SourceKind.File when Directory.Exists(source.Path):
                throw new EnvoyLensException($"'{source.Path}' is a directory, not a file; use --bundle to read a snapshot bundle or a folder of admin outputs.");
            case SourceKind.File when !File.Exists(source.Path):
                throw new EnvoyLensException($"cannot read '{source.Path}': no such file.");
            case SourceKind.Bundle when !Directory.Exists(source.Path) && !File.Exists(source.Path):
                throw new EnvoyLensException($"cannot read bundle '{source.Path}': no such directory or archive.");
            case SourceKind.Files:
                return SnapshotSources.OpenFiles(source.Files);
            case SourceKind.Bundle when SnapshotSources.IsLooseDirectory(source.Path):
                var loose = SnapshotSources.OpenLooseDirectory(source.Path);
                notices.Notice(
                    $"envoylens: {source.Path} has no manifest.json; reading its {Files(loose.Documents.Count)} as separate admin outputs ({string.Join(", ", loose.Documents.Select(d => Path.GetFileName(d.Source) + " as " + Reporting.Decode.DecodeReport.EndpointName(d.Endpoint)))}).");
                return loose;
            case SourceKind.ControlPlane:
                return ReadControlPlane(source);
            case SourceKind.Admin or SourceKind.Pod:
                using (var client = OpenClient(source))
                {
                    return LiveCapture.ReadAsync(client, source.Live.Plan ?? CapturePlan.FullFor(client.Target.Proxy), clock).GetAwaiter().GetResult();
                }
        }

        return SnapshotSources.Open(source.Path);
    }

    /// <summary>
    /// <c>csds://HOST:PORT/NODE_ID</c>: the config the control plane at HOST:PORT holds for the proxy NODE_ID, as a
    /// capture of one config dump (CSDS, else Istio's <c>istio.io/debug/config_dump</c> for POD.NAMESPACE); plaintext
    /// gRPC unless the source's connection says TLS. <c>istiod://[REV]/NODE_ID</c>: the same from istiod found through
    /// Kubernetes (the source's kubeconfig and context) and port-forwarded to.
    /// </summary>
    private RawSnapshot ReadControlPlane(SourceSpec source)
    {
        var (istiod, authority, node) = SourceSpec.SplitControlPlane(source.Path);
        if (node.Length == 0 || (!istiod && authority.Length == 0))
        {
            throw new EnvoyLensException(istiod
                ? $"'{source.Path}' must have the form istiod://[REVISION]/NODE_ID (the proxy's node id, or POD.NAMESPACE); diff takes the node from the other side's capture when only istiod://[REVISION] is given."
                : $"'{source.Path}' must have the form csds://HOST:PORT/NODE_ID (the proxy's node id, e.g. sidecar~10.0.0.1~POD.NS~NS.svc.cluster.local, or POD.NAMESPACE for istiod); diff takes the node from the other side's capture when only csds://HOST:PORT is given.");
        }

        var connection = source.ControlPlane ?? new ControlPlaneSpec("http://", source.Live.Timeout);
        var tls = connection.Address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var spec = istiod
            ? connection with
            {
                Istiod = true,
                Address = tls ? "https://127.0.0.1:15012" : "http://127.0.0.1:15010",
                Revision = authority.Length == 0 ? null : authority,
                Context = source.Live.Context,
                Kubeconfig = source.Live.Kubeconfig,
                Timeout = source.Live.Timeout,
            }
            : connection with { Istiod = false, Address = (tls ? "https://" : "http://") + authority, Timeout = source.Live.Timeout };
        using var client = ControlPlaneConnector.Open(spec, notices);
        var istioProxy = IstioNodeId.TryParse(node) is { } istio ? istio.PodName + "." + istio.Namespace : node;
        var message = client.ReadConfigAsync(node, istioProxy).GetAwaiter().GetResult();
        foreach (var note in message.Notes)
        {
            notices.Notice("envoylens: " + note);
        }

        return ControlPlaneDecoder.Config(message, node, source.Path);
    }

    private static string Files(int n) => n == 1 ? "file" : n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " files";

    /// <summary>The admin client of a live source (for a pod: after finding it and its Envoy container).</summary>
    public AdminClient OpenClient(SourceSpec source)
    {
        var target = source.Kind switch
        {
            SourceKind.Admin => AdminTarget.ForUrl(source.Path),
            SourceKind.Pod => PodConnector.ConnectAsync(
                new PodSelector(source.Path)
                {
                    Namespace = source.Live.Namespace,
                    Context = source.Live.Context,
                    Kubeconfig = source.Live.Kubeconfig,
                    Container = source.Live.Container,
                    Port = source.Live.AdminPort,
                    Timeout = source.Live.Timeout,
                },
                notices.Messages).GetAwaiter().GetResult(),
            _ => throw new InvalidOperationException($"{source.Kind} is not a live source."),
        };
        if (source.Kind == SourceKind.Admin && target.Proxy == ProxyKind.Linkerd2Proxy)
        {
            notices.Notice($"envoylens: {target.Display} is on port {AdminTarget.LinkerdAdminPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}, linkerd2-proxy's admin port: reading it as Linkerd's proxy (/metrics, /ready, /live).");
        }

        return new AdminClient(target, new AdminClientOptions { Timeout = source.Live.Timeout, Progress = notices.Progress, Clock = clock });
    }

    /// <summary>
    /// A capture is unusable when any of its documents could not be read at all (an
    /// <see cref="DiagnosticCodes.UnreadableDocument"/> error): a truncated config dump beside a readable <c>/stats</c>
    /// is an error naming the dump, never a capture that quietly "does not hold" one.
    /// </summary>
    internal static void ThrowIfUnreadable(EnvoySnapshot snapshot)
    {
        var unreadable = snapshot.Diagnostics
            .Where(d => d.Level == DiagnosticLevel.Error && d.Code == DiagnosticCodes.UnreadableDocument)
            .ToList();
        if (unreadable.Count == 0)
        {
            return;
        }

        var first = unreadable[0];
        var others = unreadable.Select(d => d.Source).Where(s => s != first.Source).Distinct(StringComparer.Ordinal).ToList();
        var also = others.Count == 0 ? string.Empty : $" ({string.Join(", ", others.Select(s => "'" + s + "'"))} cannot be read either)";
        throw new EnvoyLensException($"cannot read '{first.Source}': {first.Message.TrimEnd('.')}{also}.");
    }
}
