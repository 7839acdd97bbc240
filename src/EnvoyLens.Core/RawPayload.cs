namespace EnvoyLens.Core;

/// <summary>
/// A payload EnvoyLens could not type (an unregistered <c>@type</c>, a legacy message, a malformed value):
/// kept as raw JSON so nothing is dropped.
/// </summary>
public sealed record RawPayload(string Source, JsonPointer Pointer, string? TypeUrl, string Reason, string Json);
