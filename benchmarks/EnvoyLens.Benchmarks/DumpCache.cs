using EnvoyLens.Fixtures.Mesh;

namespace EnvoyLens.Benchmarks;

/// <summary>Generated synthetic dumps, written once per size into the temp folder and reused across runs.</summary>
internal static class DumpCache
{
    public static string PathFor(int megabytes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "envoylens-bench");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"mesh-{megabytes}mb.json");
        if (!File.Exists(path))
        {
            var tmp = path + ".tmp";
            using (var stream = File.Create(tmp))
            {
                MeshGenerator.Write(stream, MeshSpec.ForApproximateBytes(megabytes * 1024L * 1024L));
            }

            File.Move(tmp, path, overwrite: true);
        }

        return path;
    }
}
