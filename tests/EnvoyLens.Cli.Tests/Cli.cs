namespace EnvoyLens.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it wrote.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err);

internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = EnvoyLensCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static CliResult RunAt(TimeProvider clock, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = EnvoyLensCli.Run(args, stdout, stderr, clock);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
