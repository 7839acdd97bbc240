using EnvoyLens.Core;

namespace EnvoyLens.Admin;

/// <summary>Opens what the user named (a config dump file, another admin output file, a bundle directory or .tar.gz) as raw bytes.</summary>
public static class SnapshotSources
{
    /// <summary>
    /// A directory or <c>.tar.gz</c>/<c>.tgz</c> is read as a bundle (see BUNDLE.md); any other file becomes a
    /// one-document snapshot whose endpoint is sniffed from its content (<see cref="DocumentSniffer"/>).
    /// Sizes are checked before reading (<see cref="InputLimits"/>). Problems are <see cref="EnvoyLensException"/>s naming the path.
    /// </summary>
    public static RawSnapshot Open(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new EnvoyLensException("No input was named: give a config dump file, a bundle directory or a .tar.gz bundle.");
        }

        if (Directory.Exists(path))
        {
            return BundleReader.ReadDirectory(path);
        }

        if (!File.Exists(path))
        {
            throw new EnvoyLensException($"{path} does not exist.");
        }

        if (BundleReader.IsArchive(path))
        {
            return BundleReader.ReadArchive(path);
        }

        var content = InputLimits.ReadFile(path, path);
        return new RawSnapshot(path, [new RawDocument(DocumentSniffer.Sniff(content), path, content)]);
    }
}
