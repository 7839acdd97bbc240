namespace EnvoyLens.Core;

/// <summary>Severity of a finding, ordered from least to most serious.</summary>
public enum Severity
{
    Info,
    Warning,
    Error,
}
