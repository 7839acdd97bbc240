using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EnvoyLens.Benchmarks;

/// <summary>
/// Every benchmark class here runs in the already-built Release process: BenchmarkDotNet's default toolchain would
/// rebuild the whole dependency graph, generated Envoy types included, which takes longer than its build timeout on a
/// small machine. One launch, one warmup and five measured iterations keep a 200 MB run within minutes.
/// </summary>
internal sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig() =>
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance));
}
