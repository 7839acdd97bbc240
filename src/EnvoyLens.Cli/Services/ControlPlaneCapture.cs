using System.Text.Json;
using EnvoyLens.Admin;
using EnvoyLens.Admin.Bundles;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Decoding.ControlPlane;
using EnvoyLens.Model;

namespace EnvoyLens.Cli.Services;

/// <summary>
/// <c>snapshot --control-plane</c>: asks the control plane (read-only, allowlisted calls) for the captured proxy's
/// status and config and writes them into the staging folder as <c>control_plane.json</c> (BUNDLE.md), redacted like
/// every other file.
/// </summary>
internal static class ControlPlaneCapture
{
    /// <summary>The manifest endpoint name and file name of the control plane's view.</summary>
    public const string Endpoint = RawSnapshot.ControlPlaneEndpoint;

    public const string FileName = "control_plane.json";

    public static StagedFile Capture(
        ControlPlaneSpec spec, SourceSpec source, string staging, IReadOnlyList<StagedFile> files, StagingRedactor redactor, Notices notices, DateTimeOffset capturedAt)
    {
        var node = NodeOf(source, staging, files);
        using var client = ControlPlaneConnector.Open(spec, notices);
        var istioProxy = IstioNodeId.TryParse(node) is { } istio ? istio.PodName + "." + istio.Namespace : node;
        var statusMessage = client.ReadStatusAsync(node).GetAwaiter().GetResult();
        var configMessage = client.ReadConfigAsync(node, istioProxy).GetAwaiter().GetResult();
        foreach (var note in statusMessage.Notes.Concat(configMessage.Notes).Distinct(StringComparer.Ordinal))
        {
            notices.Notice("envoylens: " + note);
        }

        var status = ControlPlaneDecoder.Status(statusMessage);
        var proxy = status.Proxies.FirstOrDefault(p => p.NodeId == node) ?? status.Proxies.FirstOrDefault(p => p.Name == istioProxy)
            ?? throw new EnvoyLensException($"the control plane at {status.Address} reports no status for the proxy '{node}' of {source.Path}; nothing was written.");
        var config = ControlPlaneDecoder.Config(configMessage, node, status.Address).Documents[0].Content;

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("controlPlane", status.Address);
            writer.WriteString("statusApi", status.Api);
            writer.WriteString("configApi", configMessage.ApiName);
            writer.WriteString("nodeId", node);
            writer.WriteStartObject("proxy");
            writer.WriteString("name", proxy.Name);
            WriteOrNull(writer, "namespace", proxy.Namespace);
            WriteOrNull(writer, "cluster", proxy.Cluster);
            writer.WriteString("controlPlane", proxy.ControlPlane);
            WriteOrNull(writer, "version", proxy.Version);
            writer.WriteStartArray("types");
            foreach (var type in proxy.Types.OrderBy(t => t.Type))
            {
                writer.WriteStartObject();
                writer.WriteString("type", type.Type.ToString().ToUpperInvariant());
                writer.WriteString("state", SyncStates.Text(type.State));
                WriteOrNull(writer, "version", type.Version);
                writer.WriteStartArray("errors");
                foreach (var error in type.Errors)
                {
                    writer.WriteStartObject();
                    writer.WriteString("resource", error.Resource);
                    writer.WriteString("details", error.Details);
                    WriteOrNull(writer, "version", error.Version);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WritePropertyName("configDump");
            writer.WriteRawValue(config, skipInputValidation: false);
            writer.WriteEndObject();
        }

        redactor.Write(staging, FileName, buffer.ToArray(), status.Address);
        return new StagedFile(Endpoint, FileName, status.Address, capturedAt) { Redactions = redactor.RedactionsOf(FileName) };
    }

    private static void WriteOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>The node id of the captured proxy: its bootstrap's, else its /server_info's.</summary>
    private static string NodeOf(SourceSpec source, string staging, IReadOnlyList<StagedFile> files)
    {
        var documents = new List<RawDocument>();
        foreach (var file in files)
        {
            if (BundleManifest.TryParseEndpoint(file.Endpoint, out var endpoint) && endpoint is AdminEndpoint.ConfigDump or AdminEndpoint.ServerInfo)
            {
                documents.Add(new RawDocument(endpoint, file.FileName, File.ReadAllBytes(Path.Combine(staging, file.FileName))));
            }
        }

        var node = documents.Count == 0 ? null : SnapshotDecoder.Decode(new RawSnapshot(source.Path, documents), new DecodeOptions { Proxy = source.Proxy }).Node?.Id;
        return string.IsNullOrEmpty(node)
            ? throw new EnvoyLensException($"{source.Path} has no node id (in its bootstrap or /server_info) to ask the control plane about; nothing was written.")
            : node;
    }
}
