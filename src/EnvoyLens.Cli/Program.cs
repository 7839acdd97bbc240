namespace EnvoyLens.Cli;

internal static class Program
{
    private static int Main(string[] args) => EnvoyLensCli.Run(args, Console.Out, Console.Error, TimeProvider.System, InvocationName.Detect());
}
