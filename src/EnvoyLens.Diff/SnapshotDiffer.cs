using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Diff;

/// <summary>
/// Compares two captures resource by resource: matched by kind and name, equal fingerprints skipped without building
/// a tree, otherwise the canonical trees are walked (<see cref="TreeDiff"/>). Linear in the number of resources; at
/// most two resource trees are alive at a time.
/// </summary>
public static class SnapshotDiffer
{
    private static readonly ResourceKind[] KindOrder =
    [
        ResourceKind.Bootstrap, ResourceKind.Listener, ResourceKind.RouteConfig, ResourceKind.VirtualHost, ResourceKind.Route,
        ResourceKind.ScopedRoute, ResourceKind.Cluster, ResourceKind.Endpoint, ResourceKind.Secret, ResourceKind.Ecds,
    ];

    public static ChangeSet Diff(CanonicalSnapshot before, CanonicalSnapshot after, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        options ??= new DiffOptions();
        var ignore = DiffOptions.Volatile.Concat(options.Ignore).Select(p => new PathGlob(p)).ToList();
        var walker = new TreeDiff(ignore);
        var changes = new List<Change>();
        var summaries = new List<string>();

        var left = Index(before, options);
        var right = Index(after, options);
        var (redactedValues, redactedResources) = (0, 0);
        foreach (var key in left.Keys.Union(right.Keys).OrderBy(k => Array.IndexOf(KindOrder, k.Kind)).ThenBy(k => k.Name, StringComparer.Ordinal))
        {
            var a = left.GetValueOrDefault(key);
            var b = right.GetValueOrDefault(key);
            if (a is null || b is null)
            {
                changes.Add(new Change(key.Kind, key.Name, a is null ? ChangeType.Added : ChangeType.Removed, string.Empty, null, null));
                continue;
            }

            if (a.Redacted.Count + b.Redacted.Count > 0)
            {
                redactedValues += a.Redacted.Union(b.Redacted, StringComparer.Ordinal).Count();
                redactedResources++;
            }

            if (a.Fingerprint is { } fa && b.Fingerprint is { } fb && fa.Span.SequenceEqual(fb.Span))
            {
                continue;
            }

            var ta = a.Load();
            var tb = b.Load();
            var found = walker.Compare(ta, tb);
            if (found.Count == 0)
            {
                continue;
            }

            changes.AddRange(Attribute(key, found));
            summaries.AddRange(Summaries.For(key, found, ta, tb));
        }

        var ordered = changes
            .OrderBy(c => Array.IndexOf(KindOrder, c.Kind))
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ThenBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
        summaries.InsertRange(0, Summaries.Resources(ordered));
        return new ChangeSet(before.Origin, after.Origin, ordered, Count(ordered), summaries) { Redacted = new NotCompared(redactedValues, redactedResources) };
    }

    /// <summary>
    /// The canonical tree of one resource with every identity-keyed list sorted by key and every multiset sorted, so
    /// two equal resources print the same (for <c>--full</c>); null when the capture has no such resource.
    /// </summary>
    public static JsonObject? Normalized(CanonicalSnapshot snapshot, ResourceKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var resource = snapshot.Resources.FirstOrDefault(r => r.Kind == kind && r.Name == name);
        return resource is null ? null : (JsonObject)Sorted(resource.Load(), string.Empty)!;
    }

    private static JsonNode? Sorted(JsonNode? node, string field)
    {
        switch (node)
        {
            case JsonObject o:
                return new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value, p.Key))).ToList());
            case JsonArray a:
                var items = a.Select(n => Sorted(n, field)).ToList();
                var keys = Identity.Keys(field, new JsonArray(items.Select(i => i?.DeepClone()).ToArray()));
                var order = keys is not null
                    ? Enumerable.Range(0, items.Count).OrderBy(i => keys[i], StringComparer.Ordinal)
                    : Enumerable.Range(0, items.Count).OrderBy(i => Identity.Compact(items[i]), StringComparer.Ordinal);
                return new JsonArray(order.Select(i => items[i]).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private static Dictionary<(ResourceKind Kind, string Name), CanonicalResource> Index(CanonicalSnapshot snapshot, DiffOptions options)
    {
        var map = new Dictionary<(ResourceKind, string), CanonicalResource>();
        foreach (var r in snapshot.Resources)
        {
            if (options.Kinds is { } kinds && !kinds.Contains(r.Kind))
            {
                continue;
            }

            if (!options.IncludeEndpoints && r.Kind == ResourceKind.Endpoint)
            {
                continue;
            }

            map.TryAdd((r.Kind, r.Name), r);
        }

        return map;
    }

    /// <summary>
    /// Turns field changes into changes of a resource; inside a route configuration, changes under a virtual host or
    /// route belong to that virtual host (<c>rc/vhost</c>) or route (<c>rc/vhost/route</c>). Certificates of secrets
    /// become rotations.
    /// </summary>
    private static IEnumerable<Change> Attribute((ResourceKind Kind, string Name) key, List<FieldChange> found)
    {
        foreach (var f in found)
        {
            var (kind, name, path) = (key.Kind, key.Name, f.Path);
            if (kind == ResourceKind.RouteConfig)
            {
                var tokens = JsonPointer.Parse(path).Tokens;
                if (tokens.Count >= 2 && tokens[0] == "virtual_hosts")
                {
                    (kind, name, path) = (ResourceKind.VirtualHost, key.Name + "/" + tokens[1], Rest(tokens, 2));
                    if (tokens.Count >= 4 && tokens[2] == "routes")
                    {
                        (kind, name, path) = (ResourceKind.Route, name + "/" + tokens[3], Rest(tokens, 4));
                    }
                }
            }

            if (kind == ResourceKind.Secret && Rotation.IsCertificatePath(path) && f.Type == ChangeType.Changed)
            {
                yield return new Change(kind, name, ChangeType.Rotated, path, Rotation.Describe(f.Old), Rotation.Describe(f.New));
                continue;
            }

            yield return new Change(kind, name, path.Length == 0 ? f.Type : f.Type, path, f.Old?.ToJsonString(), f.New?.ToJsonString());
        }
    }

    private static string Rest(IReadOnlyList<string> tokens, int from) =>
        string.Concat(tokens.Skip(from).Select(t => "/" + JsonPointer.Escape(t)));

    private static List<KindSummary> Count(List<Change> changes) =>
        changes.GroupBy(c => c.Kind)
            .Select(g =>
            {
                var byResource = g.GroupBy(c => c.Name, StringComparer.Ordinal).ToList();
                var added = byResource.Count(r => r.Any(c => c.Path.Length == 0 && c.Type == ChangeType.Added));
                var removed = byResource.Count(r => r.Any(c => c.Path.Length == 0 && c.Type == ChangeType.Removed));
                return new KindSummary(g.Key, added, removed, byResource.Count - added - removed);
            })
            .OrderBy(k => Array.IndexOf(KindOrder, k.Kind))
            .ToList();

    internal static string Show(JsonNode? node) => node switch
    {
        null => "(unset)",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
