using EnvoyLens.Admin.ControlPlane;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding.ControlPlane;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Status;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens status</c> was asked for.</summary>
internal sealed record StatusRequest(ControlPlaneSpec ControlPlane, string? Proxy, string? Namespace, OutputFormat Format);

/// <summary>
/// <c>envoylens status</c>: asks the control plane for its proxies' status (read-only, allowlisted calls), keeps the
/// proxies asked for, writes them as a table, JSON or YAML. Exit 1 when a listed proxy is STALE or ERROR.
/// </summary>
internal sealed class StatusService(SnapshotLoader loader)
{
    public int Run(StatusRequest request, TextWriter output)
    {
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
                StatusRenderer.WriteText(shown, output);
                break;
        }

        return proxies.Any(p => p.IsOutOfSync) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    private static bool Matches(ProxySyncStatus proxy, string wanted, string? ns) =>
        proxy.Name == wanted || proxy.NodeId == wanted || (ns is not null && proxy.Name == wanted + "." + ns);
}
