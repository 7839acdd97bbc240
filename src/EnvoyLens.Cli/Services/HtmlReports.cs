using System.Globalization;
using EnvoyLens.Admin;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Decoding.Canonical;
using EnvoyLens.Diff;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Diff;
using EnvoyLens.Reporting.Html;

namespace EnvoyLens.Cli.Services;

/// <summary>
/// What the <c>-o html</c> outputs need besides a command's result, gathered here so that the Reporting renderers stay
/// pure: the header (source, manifest, proxy kind and version, capture time) and the normalized configuration of the
/// resources a report names (the YAML <c>diff --full</c> prints, redacted unless <c>--show-secrets</c>).
/// </summary>
internal static class HtmlReports
{
    public static ReportHeader Header(string command, SourceSpec source, LoadedSnapshot loaded, DateTimeOffset at, string verdict)
    {
        var snapshot = loaded.Snapshot;
        var manifest = Manifest(source);
        return new ReportHeader(
            command,
            source.Kind == SourceKind.Files ? string.Join(", ", source.Files) : source.Path,
            manifest?.Text,
            ProxyKind(snapshot.Node?.Id),
            manifest?.EnvoyVersion ?? snapshot.Node?.UserAgentVersion ?? snapshot.ServerInfo?.Version,
            loaded.Raw.CapturedAt ?? snapshot.CapturedAt,
            at,
            verdict);
    }

    /// <summary>The kind of proxy its node id says it is: Istio's <c>sidecar~</c> and <c>router~</c>, else plain Envoy.</summary>
    public static string ProxyKind(string? nodeId) => nodeId switch
    {
        null or "" => "Envoy (no node id)",
        _ when nodeId.StartsWith("sidecar~", StringComparison.Ordinal) => "Istio sidecar",
        _ when nodeId.StartsWith("router~", StringComparison.Ordinal) => "Istio gateway (router)",
        _ => "Envoy",
    };

    /// <summary>The bundle directory's manifest in a few words; an archive's is named but not read twice.</summary>
    private static (string Text, string? EnvoyVersion)? Manifest(SourceSpec source)
    {
        if (source.Kind != SourceKind.Bundle)
        {
            return null;
        }

        var path = Path.Combine(source.Path, BundleManifest.FileName);
        if (!Directory.Exists(source.Path))
        {
            return ($"{BundleManifest.FileName} in {Path.GetFileName(source.Path)}", null);
        }

        if (!File.Exists(path))
        {
            return null;
        }

        var m = BundleManifest.Read(File.ReadAllBytes(path), path);
        var target = m.Target is { } t
            ? $"{t.Kind} {t.Name ?? t.Url ?? "(unnamed)"}{(t.Container is { } c ? ", container " + c : "")}{(t.Port is { } p ? ", port " + p.ToString(CultureInfo.InvariantCulture) : "")}"
            : "no target";
        var text = $"{BundleManifest.FileName}: {m.Format}, {target}, {m.Files.Count.ToString(CultureInfo.InvariantCulture)} files" +
            (m.CapturedAt is { } at ? ", captured " + TimeText.Utc(at) : "") + (m.Tool is { } tool ? ", written by " + tool : "");
        return (text, m.EnvoyVersion);
    }

    /// <summary>
    /// The normalized YAML of each of <paramref name="resources"/> the capture's config dump holds (redacted unless the
    /// source asks for secrets); none when the capture has no config dump.
    /// </summary>
    public static IReadOnlyDictionary<ResourceRef, string> Configs(SourceSpec source, RawSnapshot raw, IEnumerable<ResourceRef> resources)
    {
        var wanted = resources.ToHashSet();
        var configs = new Dictionary<ResourceRef, string>();
        if (wanted.Count == 0 || raw.Get(AdminEndpoint.ConfigDump) is null)
        {
            return configs;
        }

        var canonical = CanonicalReader.Read(raw, new DecodeOptions { Proxy = source.Proxy, ShowSecrets = source.ShowSecrets });
        foreach (var resource in canonical.Resources)
        {
            var key = new ResourceRef(resource.Kind, resource.Name);
            if (wanted.Contains(key) && !configs.ContainsKey(key))
            {
                var one = canonical with { Resources = [resource] };
                if (NormalizedYaml.Render(SnapshotDiffer.Normalized(one, resource.Kind, resource.Name)) is { } yaml)
                {
                    configs[key] = yaml;
                }
            }
        }

        return configs;
    }
}
