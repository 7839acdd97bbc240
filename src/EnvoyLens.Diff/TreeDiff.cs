using System.Globalization;
using System.Text.Json.Nodes;
using EnvoyLens.Core;

namespace EnvoyLens.Diff;

/// <summary>A field-level difference inside one resource, before it is attributed to a resource.</summary>
internal readonly record struct FieldChange(ChangeType Type, string Path, JsonNode? Old, JsonNode? New);

/// <summary>Walks two canonical trees and lists where they differ, matching list elements by identity.</summary>
internal sealed class TreeDiff(IReadOnlyList<PathGlob> ignore)
{
    public List<FieldChange> Compare(JsonNode? before, JsonNode? after)
    {
        var changes = new List<FieldChange>();
        Walk(before, after, string.Empty, string.Empty, changes);
        return changes;
    }

    private bool Ignored(string path) => ignore.Count > 0 && ignore.Any(g => g.Matches(path));

    private void Walk(JsonNode? a, JsonNode? b, string path, string field, List<FieldChange> changes)
    {
        if (path.Length > 0 && Ignored(path))
        {
            return;
        }

        switch (a, b)
        {
            case (null, null):
                return;
            case (null, _):
                changes.Add(new FieldChange(ChangeType.Added, path, null, b));
                return;
            case (_, null):
                changes.Add(new FieldChange(ChangeType.Removed, path, a, null));
                return;
            case (JsonObject oa, JsonObject ob) when IsUnread(oa, ob):
                return;
            case (JsonObject oa, JsonObject ob):
                foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    Walk(oa[key], ob[key], path + "/" + JsonPointer.Escape(key), key, changes);
                }

                return;
            case (JsonArray xa, JsonArray xb):
                WalkList(xa, xb, path, field, changes);
                return;
            default:
                if (!JsonNode.DeepEquals(a, b))
                {
                    changes.Add(new FieldChange(ChangeType.Changed, path, a, b));
                }

                return;
        }
    }

    /// <summary>
    /// A payload of the same type on both sides whose content one side could not read (protobuf bytes of a type EnvoyLens
    /// has no schema for, from a control plane; the proxy's config dump shows the same payload as JSON): not compared.
    /// </summary>
    private static bool IsUnread(JsonObject a, JsonObject b) =>
        (a.ContainsKey(UnreadKey) || b.ContainsKey(UnreadKey)) && a["@type"] is JsonValue ta && b["@type"] is JsonValue tb && JsonNode.DeepEquals(ta, tb);

    /// <summary>The key the canonical form gives such a payload (Decoding's <c>CanonicalJson.UnreadKey</c>).</summary>
    private const string UnreadKey = "@unread";

    private void WalkList(JsonArray a, JsonArray b, string path, string field, List<FieldChange> changes)
    {
        if (a.All(n => n is JsonValue) && b.All(n => n is JsonValue))
        {
            // Scalars (domains, SANs, ...): a multiset; each element present on one side only is added or removed.
            var left = a.Select(Identity.Compact).ToList();
            var right = b.Select(Identity.Compact).ToList();
            foreach (var x in Subtract(left, right).Order(StringComparer.Ordinal))
            {
                Report(ChangeType.Removed, path + "/" + Token(x), JsonNode.Parse(x), null, changes);
            }

            foreach (var x in Subtract(right, left).Order(StringComparer.Ordinal))
            {
                Report(ChangeType.Added, path + "/" + Token(x), null, JsonNode.Parse(x), changes);
            }

            return;
        }

        var ka = Identity.Keys(field, a);
        var kb = Identity.Keys(field, b);
        if (ka is not null && kb is not null)
        {
            var mb = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            for (var i = 0; i < b.Count; i++)
            {
                mb[kb[i]] = b[i];
            }

            var ma = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            for (var i = 0; i < a.Count; i++)
            {
                ma[ka[i]] = a[i];
            }

            foreach (var key in ka.Union(kb).Order(StringComparer.Ordinal))
            {
                Walk(ma.GetValueOrDefault(key), mb.GetValueOrDefault(key), path + "/" + JsonPointer.Escape(key), field + "[]", changes);
            }

            return;
        }

        // No identity: equal elements pair off whatever their order; what is left pairs by position.
        var ca = a.Select(Identity.Compact).ToList();
        var cb = b.Select(Identity.Compact).ToList();
        var onlyA = Unmatched(ca, cb);
        var onlyB = Unmatched(cb, ca);
        var paired = Math.Min(onlyA.Count, onlyB.Count);
        for (var i = 0; i < paired; i++)
        {
            Walk(a[onlyA[i]], b[onlyB[i]], path + "/" + onlyA[i].ToString(CultureInfo.InvariantCulture), field + "[]", changes);
        }

        for (var i = paired; i < onlyA.Count; i++)
        {
            Report(ChangeType.Removed, path + "/" + onlyA[i].ToString(CultureInfo.InvariantCulture), a[onlyA[i]], null, changes);
        }

        for (var i = paired; i < onlyB.Count; i++)
        {
            Report(ChangeType.Added, path + "/" + onlyB[i].ToString(CultureInfo.InvariantCulture), null, b[onlyB[i]], changes);
        }
    }

    private void Report(ChangeType type, string path, JsonNode? old, JsonNode? @new, List<FieldChange> changes)
    {
        if (!Ignored(path))
        {
            changes.Add(new FieldChange(type, path, old, @new));
        }
    }

    private static string Token(string compactScalar)
    {
        var text = compactScalar.Length >= 2 && compactScalar[0] == '"' ? JsonNode.Parse(compactScalar)!.GetValue<string>() : compactScalar;
        return JsonPointer.Escape(text);
    }

    private static List<string> Subtract(List<string> from, List<string> remove)
    {
        var counts = remove.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var x in from)
        {
            if (counts.TryGetValue(x, out var n) && n > 0)
            {
                counts[x] = n - 1;
            }
            else
            {
                result.Add(x);
            }
        }

        return result;
    }

    /// <summary>Indexes of <paramref name="from"/> whose element is not matched by an equal one in <paramref name="other"/>.</summary>
    private static List<int> Unmatched(List<string> from, List<string> other)
    {
        var counts = other.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<int>();
        for (var i = 0; i < from.Count; i++)
        {
            if (counts.TryGetValue(from[i], out var n) && n > 0)
            {
                counts[from[i]] = n - 1;
            }
            else
            {
                result.Add(i);
            }
        }

        return result;
    }
}
