using EnvoyLens.TestKit;

namespace EnvoyLens.Reporting.Tests;

/// <summary>Reads istioctl golden outputs of the shared corpus in place.</summary>
internal static class GoldenCorpus
{
    public static string Read(params string[] parts)
    {
        Assert.True(TestPaths.Corpus is not null, "The shared corpus (../shared/corpus) is not present.");
        return File.ReadAllText(TestPaths.CorpusFile(["golden", .. parts]));
    }
}
