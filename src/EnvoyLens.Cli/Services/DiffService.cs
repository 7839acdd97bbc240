using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Decoding.Canonical;
using EnvoyLens.Diff;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Diff;
using EnvoyLens.Reporting.Html;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens diff</c> was asked for. <paramref name="Full"/> names one resource (<c>[kind:]name</c>) to show as a unified diff.</summary>
internal sealed record DiffRequest(SourceSpec Before, SourceSpec After, TextJsonOrHtml Format, bool ExitCode, DiffOptions Options, string? Full);

/// <summary>
/// <c>envoylens diff</c>: loads both captures, compares their config dumps resource by resource and writes the
/// change set (text, or JSON schema <c>envoylens-diff/v1</c>). With <c>--exit-code</c>: 0 equal, 1 different.
/// </summary>
internal sealed class DiffService(SnapshotLoader loader)
{
    public int Run(DiffRequest request, TextWriter output)
    {
        if (request.Full is not null && request.Format != TextJsonOrHtml.Text)
        {
            throw request.Format == TextJsonOrHtml.Html
                ? new EnvoyLensException("--full prints one resource's unified diff as text and has no HTML form; leave out -o html, or --full for the HTML page of every change.")
                : new EnvoyLensException("--full prints one resource's unified diff as text and has no JSON form; leave out -o json, or --full for the JSON change set of every resource.");
        }

        var (before, after) = Load(request.Before, request.After);
        if (request.Full is { } full)
        {
            return RunFull(before, after, full, request, output);
        }

        var changes = SnapshotDiffer.Diff(before, after, request.Options);
        var exit = request.ExitCode && !changes.IsEmpty ? ExitCodes.Findings : ExitCodes.Ok;
        if (request.Format == TextJsonOrHtml.Json)
        {
            ChangeSetJsonRenderer.Render(changes, output);
        }
        else if (request.Format == TextJsonOrHtml.Html)
        {
            var verdict = (changes.IsEmpty ? "no differences" : "the captures differ") + ": exit " + exit.ToString(System.Globalization.CultureInfo.InvariantCulture) +
                (request.ExitCode ? "" : " (without --exit-code)");
            output.Write(DiffHtmlRenderer.Render(new ReportHeader("diff", $"{request.Before.Path} → {request.After.Path}", null, null, null, null, null, verdict), changes));
        }
        else
        {
            ChangeSetTextRenderer.Render(changes, output);
        }

        return exit;
    }

    /// <summary>
    /// The control plane's config for a proxy (<paramref name="controlPlane"/>, a <c>csds://</c> or <c>istiod://</c>
    /// source, whose node is taken from the proxy's capture when it names none) against the proxy's capture: the
    /// xDS resources only, compared resource by resource.
    /// </summary>
    public ChangeSet CompareWithControlPlane(SourceSpec controlPlane, SourceSpec proxy, DiffOptions options)
    {
        ArgumentNullException.ThrowIfNull(controlPlane);
        var (before, after) = Load(controlPlane, proxy);
        return SnapshotDiffer.Diff(before, after, options);
    }

    /// <summary>Both sides as comparable resources; a control-plane side without a node takes the other side's, and then both keep only what xDS serves.</summary>
    private (CanonicalSnapshot Before, CanonicalSnapshot After) Load(SourceSpec beforeSpec, SourceSpec afterSpec)
    {
        var (givenBefore, givenAfter) = (beforeSpec, afterSpec);
        RawSnapshot? beforeRaw = null;
        RawSnapshot? afterRaw = null;
        if (NeedsNode(afterSpec) && beforeSpec.Kind != SourceKind.ControlPlane)
        {
            beforeRaw = loader.ReadRaw(beforeSpec);
            afterSpec = WithNodeOf(afterSpec, beforeSpec, beforeRaw);
        }
        else if (NeedsNode(beforeSpec) && afterSpec.Kind != SourceKind.ControlPlane)
        {
            afterRaw = loader.ReadRaw(afterSpec);
            beforeSpec = WithNodeOf(beforeSpec, afterSpec, afterRaw);
        }

        var before = Read(beforeSpec, beforeRaw);
        var after = Read(afterSpec, afterRaw);
        if (givenBefore.Kind == SourceKind.ControlPlane || givenAfter.Kind == SourceKind.ControlPlane)
        {
            // istiod's debug config dump holds its bootstrap and static parts too: both sides keep only what xDS serves.
            before = ServedByControlPlane(before);
            after = ServedByControlPlane(after);
        }

        return (before, after);
    }

    /// <summary>A <c>csds://HOST:PORT</c> or <c>istiod://[REV]</c> side that names no node (no path, or an empty one).</summary>
    private static bool NeedsNode(SourceSpec spec) =>
        spec.Kind == SourceKind.ControlPlane && SourceSpec.SplitControlPlane(spec.Path).Node.Length == 0;

    /// <summary>The control-plane side asking for the node of the other side's capture (its bootstrap's, else its /server_info's node id).</summary>
    private SourceSpec WithNodeOf(SourceSpec controlPlane, SourceSpec other, RawSnapshot raw)
    {
        var node = SnapshotDecoder.Decode(raw, new DecodeOptions { Proxy = other.Proxy }).Node?.Id;
        var (istiod, authority, _) = SourceSpec.SplitControlPlane(controlPlane.Path);
        var address = (istiod ? "istiod://" : "csds://") + authority;
        if (string.IsNullOrEmpty(node))
        {
            throw new EnvoyLensException(
                $"'{controlPlane.Path}' names no node, and '{other.Path}' has no node id (in its bootstrap or /server_info) to take; give {(istiod ? "istiod://[REVISION]/NODE_ID" : "csds://HOST:PORT/NODE_ID")}.");
        }

        loader.Notices.Notice($"envoylens: asking {address} for node {node}, the node of {other.Path}.");
        return controlPlane with { Path = address + "/" + Uri.EscapeDataString(node) };
    }

    /// <summary>
    /// The part of a side a control plane serves, to compare what the control plane holds for a proxy with what the
    /// proxy runs: the dynamic (xDS) listeners, route configs, clusters, endpoints and ECDS filters. Static resources,
    /// the bootstrap and secrets (SDS, which Istio's agent serves, not istiod) are left out, and a notice says how many.
    /// </summary>
    private CanonicalSnapshot ServedByControlPlane(CanonicalSnapshot capture)
    {
        var served = capture.Resources
            .Where(r => r.Kind is ResourceKind.Listener or ResourceKind.RouteConfig or ResourceKind.Cluster or ResourceKind.Endpoint or ResourceKind.Ecds)
            .Where(r => r.Pointer.Value.Contains("/dynamic_", StringComparison.Ordinal) || r.Pointer.Value.Contains("/ecds_filters/", StringComparison.Ordinal))
            .ToList();
        var left = capture.Resources.Count - served.Count;
        if (left > 0)
        {
            loader.Notices.Notice(
                $"envoylens: compared only the xDS resources a control plane serves; left out {left.ToString(System.Globalization.CultureInfo.InvariantCulture)} " +
                $"static resources, secrets and the bootstrap of {capture.Origin}.");
        }

        return capture with { Resources = served };
    }

    /// <summary>
    /// Reads one side: its bytes through the loader (same errors for a missing file, bundle or proxy), then its config
    /// dump straight into comparable resources. The typed snapshot is not needed, so the dump is decoded once; the
    /// other documents of a capture are decoded only to word an error the way the loader does.
    /// </summary>
    private CanonicalSnapshot Read(SourceSpec spec, RawSnapshot? read)
    {
        var raw = read ?? loader.ReadRaw(spec);
        var options = new DecodeOptions { Proxy = spec.Proxy, ShowSecrets = spec.ShowSecrets };
        var dump = raw.Get(AdminEndpoint.ConfigDump);
        if (dump is null)
        {
            SnapshotLoader.ThrowIfUnreadable(SnapshotDecoder.Decode(raw, options));
            throw new EnvoyLensException($"'{spec.Path}' holds no config dump to compare.");
        }

        try
        {
            return CanonicalReader.Read(raw, options);
        }
        catch (EnvoyLensException e)
        {
            throw Unreadable(raw, dump, e, options);
        }
    }

    /// <summary>
    /// The error for a config dump that cannot be read, as the loader words it: when no document of the capture can
    /// be read, "cannot read" the first of them; otherwise the reader's own sentence (which names the dump).
    /// </summary>
    private static EnvoyLensException Unreadable(RawSnapshot raw, RawDocument dump, EnvoyLensException error, DecodeOptions options)
    {
        var others = raw.Documents.Where(d => !ReferenceEquals(d, dump)).ToList();
        var unreadable = others.Count == 0
            ? []
            : SnapshotDecoder.Decode(new RawSnapshot(raw.Origin, others, raw.CapturedAt), options).Diagnostics
                .Where(d => d.Level == DiagnosticLevel.Error && d.Code == DiagnosticCodes.UnreadableDocument)
                .ToList();
        var sources = unreadable.Select(d => d.Source).ToHashSet(StringComparer.Ordinal);
        if (!others.All(d => sources.Contains(d.Source)))
        {
            return error;
        }

        var first = raw.Documents.First(d => ReferenceEquals(d, dump) || sources.Contains(d.Source));
        var message = ReferenceEquals(first, dump) ? error.Message : unreadable.First(d => d.Source == first.Source).Message;
        return new EnvoyLensException($"cannot read '{first.Source}': {message.TrimEnd('.')}.", error);
    }

    private static int RunFull(CanonicalSnapshot before, CanonicalSnapshot after, string full, DiffRequest request, TextWriter output)
    {
        var (kind, name) = Resolve(full, before, after);
        var a = SnapshotDiffer.Normalized(before, kind, name);
        var b = SnapshotDiffer.Normalized(after, kind, name);
        var left = NormalizedYaml.Render(a);
        var right = NormalizedYaml.Render(b);
        UnifiedDiff.Render($"{before.Origin} {kind} {name}", left, $"{after.Origin} {kind} {name}", right, output);
        return request.ExitCode && left != right ? ExitCodes.Findings : ExitCodes.Ok;
    }

    /// <summary>Finds the resource <c>--full</c> names: <c>kind:name</c>, or a name that only one kind has.</summary>
    internal static (ResourceKind Kind, string Name) Resolve(string full, CanonicalSnapshot before, CanonicalSnapshot after)
    {
        var all = before.Resources.Concat(after.Resources).Select(r => (r.Kind, r.Name)).Distinct().ToList();
        var colon = full.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            try
            {
                var kinds = ChangeSetTextRenderer.KindsNamed(full[..colon]).ToHashSet();
                var named = full[(colon + 1)..];
                var hit = all.Where(r => kinds.Contains(r.Kind) && r.Name == named).ToList();
                if (hit.Count == 1)
                {
                    return hit[0];
                }
            }
            catch (EnvoyLensException)
            {
                // Not a kind prefix: the colon is part of the name.
            }
        }

        var matches = all.Where(r => r.Name == full).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new EnvoyLensException($"--full names '{full}', which neither capture holds; give a resource name, optionally as kind:name."),
            _ => throw new EnvoyLensException($"--full names '{full}', which several kinds hold ({string.Join(", ", matches.Select(m => m.Kind))}); give it as kind:name."),
        };
    }
}
