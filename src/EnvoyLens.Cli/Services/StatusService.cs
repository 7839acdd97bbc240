using EnvoyLens.Admin.ControlPlane;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding.ControlPlane;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Status;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens status</c> was asked for: <paramref name="Proxy"/> is a proxy's name to show, or a proxy source to compare.</summary>
internal sealed record StatusRequest(ControlPlaneSpec ControlPlane, string? Proxy, string? Namespace, OutputFormat Format)
{
    /// <summary>Follow the table with each NACK's text (<c>--details</c>; <c>-o wide</c> implies it).</summary>
    public bool Details { get; init; }
}

/// <summary>
/// <c>envoylens status</c>: asks the control plane for its proxies' status (read-only, allowlisted calls), keeps the
/// proxies asked for, writes them as a table, JSON or YAML. Exit 1 when a listed proxy is STALE or ERROR.
/// </summary>
internal sealed class StatusService(SnapshotLoader loader, DiffService diff)
{
    /// <summary>
    /// Whether the PROXY argument names a proxy source (an existing file or folder, <c>pod/NAME[.NS][@CONTEXT]</c>, or an
    /// admin URL) rather than a proxy's name: then <c>status</c> compares that proxy's config with the control plane's.
    /// </summary>
    public static bool IsProxySource(string? argument) =>
        argument is not null
        && (File.Exists(argument) || Directory.Exists(argument)
            || argument.StartsWith("pod/", StringComparison.Ordinal)
            || argument.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || argument.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    public int Run(StatusRequest request, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsProxySource(request.Proxy))
        {
            return Compare(request, output);
        }

        using var client = ControlPlaneConnector.Open(request.ControlPlane, loader.Notices);
        var message = client.ReadStatusAsync().GetAwaiter().GetResult();
        foreach (var note in message.Notes)
        {
            loader.Notices.Notice("envoylens: " + note);
        }

        var status = ControlPlaneDecoder.Status(message);
        var proxies = status.Proxies
            .Where(p => request.Namespace is null || p.Namespace == request.Namespace)
            .Where(p => request.Proxy is null || Matches(p, request.Proxy, request.Namespace))
            .ToList();
        if (request.Proxy is not null && proxies.Count == 0)
        {
            throw new EnvoyLensException(
                $"the control plane at {status.Address} reports no proxy '{request.Proxy}'{(request.Namespace is null ? string.Empty : " in namespace " + request.Namespace)} " +
                $"(it reports {status.Proxies.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}); give POD.NAMESPACE or a node id as 'envoylens status' lists them.");
        }

        var shown = status with { Proxies = proxies };
        switch (request.Format)
        {
            case OutputFormat.Json:
                StatusRenderer.WriteJson(shown, output);
                break;
            case OutputFormat.Yaml:
                StatusRenderer.WriteYaml(shown, output);
                break;
            default:
                StatusRenderer.WriteText(shown, output, request.Details || request.Format == OutputFormat.Wide);
                break;
        }

        return proxies.Any(p => p.IsOutOfSync) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    /// <summary>
    /// <c>status PROXY_SOURCE</c>, like <c>istioctl proxy-status POD</c>: the control plane's config for the proxy (its
    /// node id from the proxy's bootstrap) against what the proxy runs, one line per kind (Match / Don't Match), then
    /// the differing resources through the semantic diff. Exit 1 when they differ.
    /// </summary>
    private int Compare(StatusRequest request, TextWriter output)
    {
        if (request.Format is not (OutputFormat.Table or OutputFormat.Json))
        {
            throw new EnvoyLensException($"status PROXY_SOURCE writes a table or json (the change set, schema envoylens-diff/v1), not {(request.Format == OutputFormat.Wide ? "wide" : "yaml")}.");
        }

        var cp = request.ControlPlane;
        var proxy = SourceSpec.Parse(request.Proxy!);
        if (request.Namespace is not null && proxy.Kind != SourceKind.Pod)
        {
            throw new EnvoyLensException($"--namespace names the pod's namespace when status compares a pod/ source, and '{request.Proxy}' is not a pod.");
        }

        proxy = proxy with
        {
            Live = new LiveOptions
            {
                Namespace = request.Namespace,
                Context = proxy.Live.Context ?? cp.Context,
                Kubeconfig = cp.Kubeconfig,
                Timeout = cp.Timeout,
            },
        };
        var path = cp.Istiod
            ? "istiod://" + (cp.Revision ?? string.Empty)
            : "csds://" + ControlPlaneTarget.ParseAddress(cp.Address, "--control-plane").Authority;
        var controlPlane = new SourceSpec(SourceKind.ControlPlane, path, null)
        {
            ControlPlane = cp,
            Live = new LiveOptions { Context = cp.Context, Kubeconfig = cp.Kubeconfig, Timeout = cp.Timeout },
        };
        var changes = diff.CompareWithControlPlane(controlPlane, proxy, new EnvoyLens.Diff.DiffOptions());
        if (request.Format == OutputFormat.Json)
        {
            EnvoyLens.Reporting.Diff.ChangeSetJsonRenderer.Render(changes, output);
        }
        else
        {
            foreach (var (kind, name) in ComparedKinds)
            {
                var differing = changes.Changes.Where(c => c.Kind == kind).Select(c => c.Name).Distinct(StringComparer.Ordinal).Count();
                output.Write(differing == 0
                    ? $"{name} Match\n"
                    : $"{name} Don't Match ({differing.ToString(System.Globalization.CultureInfo.InvariantCulture)} {(differing == 1 ? "resource differs" : "resources differ")})\n");
            }

            if (!changes.IsEmpty)
            {
                output.Write('\n');
                EnvoyLens.Reporting.Diff.ChangeSetTextRenderer.Render(changes, output);
            }
        }

        return changes.IsEmpty ? ExitCodes.Ok : ExitCodes.Findings;
    }

    /// <summary>The kinds a control plane serves, in the order <c>istioctl proxy-status POD</c> prints them (then endpoints and ECDS).</summary>
    private static readonly (ResourceKind Kind, string Name)[] ComparedKinds =
    [
        (ResourceKind.Cluster, "Clusters"),
        (ResourceKind.Listener, "Listeners"),
        (ResourceKind.RouteConfig, "Routes"),
        (ResourceKind.Endpoint, "Endpoints"),
        (ResourceKind.Ecds, "Extension configs"),
    ];

    private static bool Matches(ProxySyncStatus proxy, string wanted, string? ns) =>
        proxy.Name == wanted || proxy.NodeId == wanted || (ns is not null && proxy.Name == wanted + "." + ns);
}
