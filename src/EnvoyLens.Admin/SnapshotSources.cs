using EnvoyLens.Core;

namespace EnvoyLens.Admin;

/// <summary>Opens what the user named (a config dump file, another admin output file, a bundle directory or .tar.gz) as raw bytes.</summary>
public static class SnapshotSources
{
    public static RawSnapshot Open(string path) =>
        throw new NotImplementedException("file and bundle reader");
}
