using System.Text;
using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Canonical;
using EnvoyLens.Diff;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Diff;

namespace EnvoyLens.Diff.Tests;

/// <summary>Reads captures the way the diff command does.</summary>
internal static class Captures
{
    public static CanonicalSnapshot FromJson(string json, string origin = "dump.json") =>
        CanonicalReader.Read(new RawSnapshot(origin, [new RawDocument(AdminEndpoint.ConfigDump, origin, Encoding.UTF8.GetBytes(json))]));

    public static CanonicalSnapshot FromPath(string path) => CanonicalReader.Read(SnapshotSources.Open(path));

    public static ChangeSet Diff(string before, string after, DiffOptions? options = null) =>
        SnapshotDiffer.Diff(FromJson(before, "before.json"), FromJson(after, "after.json"), options);

    public static string Text(ChangeSet changes)
    {
        using var w = new StringWriter();
        ChangeSetTextRenderer.Render(changes, w);
        return w.ToString();
    }
}
