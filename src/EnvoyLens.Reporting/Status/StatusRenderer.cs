using System.Text.Json.Nodes;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Diff;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Status;

/// <summary>
/// <c>envoylens status</c>: the proxies a control plane serves, one row each with the columns of
/// <c>istioctl proxy-status</c> (NAME, CLUSTER, CDS, LDS, EDS, RDS, ECDS, CONTROL PLANE, VERSION), then one line per
/// NACK; or the same as JSON/YAML (schema <c>envoylens-status/v1</c>, documented in OUTPUT.md).
/// </summary>
public static class StatusRenderer
{
    public const string Schema = "envoylens-status/v1";

    private static readonly XdsType[] Types = [XdsType.Cds, XdsType.Lds, XdsType.Eds, XdsType.Rds, XdsType.Ecds];

    /// <summary>The table of <paramref name="status"/>'s proxies, in the order given.</summary>
    public static Table Table(ControlPlaneStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        Column[] columns =
        [
            new("NAME", "name"), new("CLUSTER", "cluster"), new("CDS", "cds"), new("LDS", "lds"), new("EDS", "eds"),
            new("RDS", "rds"), new("ECDS", "ecds"), new("CONTROL PLANE", "controlPlane"), new("VERSION", "version"),
        ];
        var rows = status.Proxies.Select(p => (IReadOnlyList<Cell>)
        [
            Cell.Of(p.Name), Cell.Of(p.Cluster, "-"),
            .. Types.Select(t => Cell.Of(SyncStates.Text(p.Of(t)?.State ?? SyncState.NotSent))),
            Cell.Of(p.ControlPlane), Cell.Of(p.Version, "-"),
        ]).ToList();
        return new Table("status", "Proxy status", columns, rows)
        {
            EmptyReason = status.Proxies.Count == 0 ? "the control plane reports no proxies" : null,
        };
    }

    /// <summary>Writes the table, then one line per NACK (<c>NACK NAME TYPE RESOURCE (version V): DETAILS</c>).</summary>
    /// <summary>
    /// The table (a NACK shows as ERROR in its type's column, as istioctl shows it); with <paramref name="details"/>
    /// (<c>--details</c>, <c>-o wide</c>) one line per NACK with the control plane's error text follows it.
    /// </summary>
    public static void WriteText(ControlPlaneStatus status, TextWriter output, bool details = false)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(output);
        if (status.Proxies.Count == 0)
        {
            output.Write($"No proxies: the control plane at {status.Address} ({status.Api}) reports none.\n");
            return;
        }

        TableRenderer.WriteText(Table(status), output);
        if (!details)
        {
            return;
        }
        var nacks = status.Proxies
            .SelectMany(p => p.Types.SelectMany(t => t.Errors.Select(e => (Proxy: p.Name, Type: t.Type, Error: e))))
            .ToList();
        if (nacks.Count == 0)
        {
            return;
        }

        output.Write('\n');
        foreach (var (proxy, type, error) in nacks)
        {
            var resource = error.Resource.Length == 0 ? string.Empty : " " + error.Resource;
            var version = error.Version is null ? string.Empty : $" (version {error.Version})";
            output.Write($"NACK {proxy} {type.ToString().ToUpperInvariant()}{resource}{version}: {OneLine(error.Details)}\n");
        }
    }

    public static void WriteJson(ControlPlaneStatus status, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(JsonOutput.Write(w => Document(status).WriteTo(w)));
    }

    public static void WriteYaml(ControlPlaneStatus status, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(NormalizedYaml.Render(Document(status)) ?? "null\n");
    }

    /// <summary>The <c>envoylens-status/v1</c> document: keys in a fixed order, proxies in the order given.</summary>
    public static JsonObject Document(ControlPlaneStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var proxies = new JsonArray();
        foreach (var p in status.Proxies)
        {
            var types = new JsonObject();
            foreach (var t in Types)
            {
                var of = p.Of(t);
                var errors = new JsonArray();
                foreach (var e in of?.Errors ?? [])
                {
                    errors.Add((JsonNode)new JsonObject { ["resource"] = e.Resource, ["details"] = e.Details, ["version"] = e.Version });
                }

                types[t.ToString().ToLowerInvariant()] = new JsonObject
                {
                    ["status"] = SyncStates.Text(of?.State ?? SyncState.NotSent),
                    ["version"] = of?.Version,
                    ["errors"] = errors,
                };
            }

            proxies.Add((JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["nodeId"] = p.NodeId,
                ["namespace"] = p.Namespace,
                ["cluster"] = p.Cluster,
                ["controlPlane"] = p.ControlPlane,
                ["version"] = p.Version,
                ["inSync"] = !p.IsOutOfSync,
                ["types"] = types,
            });
        }

        return new JsonObject
        {
            ["schema"] = Schema,
            ["controlPlane"] = status.Address,
            ["api"] = status.Api,
            ["proxies"] = proxies,
        };
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
