using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Diff;

namespace EnvoyLens.Reporting.Diff;

/// <summary>
/// The text form of a <see cref="ChangeSet"/>: a per-kind summary, sentences for common cases, then per changed
/// resource its field paths with old → new values.
/// </summary>
public static class ChangeSetTextRenderer
{
    /// <summary>Longest value shown inline; longer values are cut with an ellipsis (use -o json for all of it).</summary>
    private const int MaxValue = 160;

    /// <summary>The sentence saying which redacted values were not compared; null when there were none.</summary>
    public static string? NotComparedSentence(ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var (values, resources) = (changes.Redacted.Values, changes.Redacted.Resources);
        return values == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{values} redacted secret value{(values == 1 ? string.Empty : "s")} in {resources} resource{(resources == 1 ? string.Empty : "s")} present on both sides {(values == 1 ? "was" : "were")} not compared (--show-secrets compares them).");
    }

    private static void WriteNotCompared(ChangeSet changes, TextWriter output)
    {
        if (NotComparedSentence(changes) is { } sentence)
        {
            output.Write($"\nNote: {sentence}\n");
        }
    }

    public static void Render(ChangeSet changes, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(output);
        output.Write($"before: {changes.Before}\nafter:  {changes.After}\n\n");
        if (changes.IsEmpty)
        {
            output.Write("No differences.\n");
            WriteNotCompared(changes, output);
            return;
        }

        output.Write("KIND           ADDED  REMOVED  CHANGED\n");
        foreach (var k in changes.Kinds)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"{k.Kind,-14} {k.Added,5}  {k.Removed,7}  {k.Changed,7}\n"));
        }

        if (changes.Summaries.Count > 0)
        {
            output.Write("\nIn short:\n");
            foreach (var s in changes.Summaries)
            {
                output.Write($"  - {s}\n");
            }
        }

        WriteNotCompared(changes, output);

        foreach (var resource in changes.Changes.GroupBy(c => (c.Kind, c.Name)))
        {
            var whole = resource.FirstOrDefault(c => c.Path.Length == 0);
            output.Write('\n');
            if (whole is not null)
            {
                output.Write($"{resource.Key.Kind} {resource.Key.Name}: {(whole.Type == ChangeType.Added ? "added" : "removed")}\n");
                continue;
            }

            output.Write($"{resource.Key.Kind} {resource.Key.Name}:\n");
            foreach (var c in resource)
            {
                output.Write(c.Type switch
                {
                    ChangeType.Added => $"  + {c.Path}: {Cut(c.New)}\n",
                    ChangeType.Removed => $"  - {c.Path}: {Cut(c.Old)}\n",
                    ChangeType.Rotated => $"  ~ {c.Path}: rotated: {c.Old} -> {c.New}\n",
                    _ => $"  ~ {c.Path}: {Cut(c.Old)} -> {Cut(c.New)}\n",
                });
            }
        }
    }

    private static string Cut(string? value)
    {
        if (value is null)
        {
            return "(unset)";
        }

        return value.Length <= MaxValue ? value : value[..MaxValue] + "…";
    }

    /// <summary>Parses a <c>--kinds</c> word (listeners, routes, clusters, endpoints, secrets, ecds, bootstrap, scoped-routes).</summary>
    public static IEnumerable<ResourceKind> KindsNamed(string word) => word.Trim().ToLowerInvariant() switch
    {
        "listener" or "listeners" => [ResourceKind.Listener],
        "route" or "routes" or "route-configs" or "routeconfigs" => [ResourceKind.RouteConfig],
        "cluster" or "clusters" => [ResourceKind.Cluster],
        "endpoint" or "endpoints" or "eds" => [ResourceKind.Endpoint],
        "secret" or "secrets" => [ResourceKind.Secret],
        "ecds" => [ResourceKind.Ecds],
        "bootstrap" => [ResourceKind.Bootstrap],
        "scoped-routes" or "scopedroutes" => [ResourceKind.ScopedRoute],
        _ => throw new EnvoyLensException(
            $"'{word}' is not a kind --kinds knows; use listeners, routes, clusters, endpoints, secrets, ecds, bootstrap or scoped-routes."),
    };
}
