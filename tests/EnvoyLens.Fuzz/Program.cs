using SharpFuzz;

namespace EnvoyLens.Fuzz;

/// <summary>
/// <c>EnvoyLens.Fuzz TARGET</c>: runs one fuzz target under afl-fuzz (SharpFuzz's out-of-process fork server), or once on
/// standard input when started without afl-fuzz (how a finding is replayed). A target passes the input bytes to the
/// public entry point the CLI uses; an <see cref="Core.EnvoyLensException"/> (the one-sentence input error) is an
/// expected outcome, any other exception escapes and is a crash.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 1 || !Targets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.Write($"usage: EnvoyLens.Fuzz TARGET < INPUT, where TARGET is one of: {string.Join(", ", Targets.All.Keys)}.\n");
            return 2;
        }

        Fuzzer.OutOfProcess.Run(stream => target(ReadAll(stream)));
        return 0;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
