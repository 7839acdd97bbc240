namespace EnvoyLens.TestKit;

/// <summary>Locates the repository root, its fixtures, and the shared corpus beside the checkout.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);

    /// <summary>The directory holding EnvoyLens.sln.</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary><c>fixtures/</c> of this repository.</summary>
    public static string Fixtures => Path.Combine(RepoRoot, "fixtures");

    /// <summary>A path below <c>fixtures/</c>.</summary>
    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    /// <summary>
    /// <c>../shared/corpus</c> beside the checkout (real captures read in place, never copied), or the
    /// directory named by ENVOYLENS_CORPUS. Null when absent.
    /// </summary>
    public static string? Corpus
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("ENVOYLENS_CORPUS");
            if (!string.IsNullOrEmpty(env))
            {
                return Directory.Exists(env) ? env : null;
            }

            var dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "corpus"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>A path below the corpus; the caller must have checked <see cref="Corpus"/> first.</summary>
    public static string CorpusFile(params string[] parts) =>
        Path.Combine([Corpus ?? throw new InvalidOperationException("The shared corpus (../shared/corpus) is not present."), .. parts]);

    /// <summary>The shared reference schemas (<c>../shared/schemas</c>), or null.</summary>
    public static string? Schemas
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "schemas"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnvoyLens.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Could not find EnvoyLens.sln above " + AppContext.BaseDirectory);
    }
}
