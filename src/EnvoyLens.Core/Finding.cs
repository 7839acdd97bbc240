namespace EnvoyLens.Core;

/// <summary>
/// One problem a rule found, at an exact place: the resource (kind + name; null when the finding is about the
/// proxy as a whole) and a JSON pointer into the document it was read from. <see cref="Message"/> is the rule's
/// template filled from <see cref="Arguments"/>; <see cref="Evidence"/> holds the values that triggered it.
/// </summary>
public sealed record Finding(
    string RuleId,
    Severity Severity,
    ResourceRef? Resource,
    JsonPointer Pointer,
    string Message,
    string Remediation,
    IReadOnlyDictionary<string, string> Arguments,
    IReadOnlyDictionary<string, string> Evidence)
{
    /// <summary>The document the pointer points into (a file name or admin endpoint), when known.</summary>
    public string? Source { get; init; }

    /// <summary>Findings in report order: most severe first, then rule id, resource kind, resource name and pointer (ordinal).</summary>
    public static IComparer<Finding> ReportOrder { get; } = Comparer<Finding>.Create(Compare);

    private static int Compare(Finding? a, Finding? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }

        var c = b.Severity.CompareTo(a.Severity);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.RuleId, b.RuleId);
        }

        if (c == 0)
        {
            c = (a.Resource is null).CompareTo(b.Resource is null);
        }

        if (c == 0 && a.Resource is { } ra && b.Resource is { } rb)
        {
            c = ra.Kind.CompareTo(rb.Kind);
            if (c == 0)
            {
                c = string.CompareOrdinal(ra.Name, rb.Name);
            }
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Pointer.Value, b.Pointer.Value);
        }

        return c == 0 ? string.CompareOrdinal(a.Message, b.Message) : c;
    }
}
