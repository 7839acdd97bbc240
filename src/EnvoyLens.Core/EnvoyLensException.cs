namespace EnvoyLens.Core;

/// <summary>
/// An input problem that stops one job: its message is one sentence that names the file, resource or
/// target and what is wrong, fit to print as is (no stack trace).
/// </summary>
public class EnvoyLensException(string message, Exception? inner = null) : Exception(message, inner);
