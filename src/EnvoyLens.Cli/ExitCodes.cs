namespace EnvoyLens.Cli;

/// <summary>The process exit codes of <c>envoylens</c> (also listed in <c>envoylens --help</c>).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked. Decode diagnostics are not failures.</summary>
    public const int Ok = 0;

    /// <summary>The input was read and showed a problem: findings at or above the threshold, differences, an invalid path, a proxy out of sync.</summary>
    public const int Findings = 1;

    /// <summary>The input could not be read (missing, unreadable, not an Envoy capture) or the command line was wrong.</summary>
    public const int InputOrUsageError = 2;

    /// <summary>An unexpected internal error (a bug in EnvoyLens); the message names the exception.</summary>
    public const int InternalError = 3;

    /// <summary>The text shown in <c>--help</c>.</summary>
    internal const string HelpText =
        "Exit codes: 0 ok; 1 findings at or above --fail-on (analyze), differences (diff --exit-code), an invalid path (certs verify), a request that would not be forwarded (trace), a proxy STALE or in ERROR (status) or a pod with such findings or whose proxy could not be read (scan); 2 input unreadable, source unreachable or usage error; 3 internal error (a bug); 130 interrupted (Ctrl-C, SIGTERM).";
}
