namespace EnvoyLens.Rules.BuiltIn;

/// <summary>
/// A stand-in for a built-in rule in the namespace the engine must not use (the real rules are internal to
/// EnvoyLens.Rules), for the sample that shows the engine rule fails when broken.
/// </summary>
internal sealed class SampleBuiltInRule;
