using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

internal static class CorpusFiles
{
    public static string Golden(params string[] parts)
    {
        Assert.True(TestPaths.Corpus is not null, "The shared corpus (../shared/corpus) is not present.");
        return TestPaths.CorpusFile(["golden", .. parts]);
    }
}
