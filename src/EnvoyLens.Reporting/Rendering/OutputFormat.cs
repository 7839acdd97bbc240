namespace EnvoyLens.Reporting.Rendering;

/// <summary>
/// How views are written: aligned text tables (<see cref="Wide"/> with more columns, kubectl's <c>-o wide</c>); the
/// full configuration of the rows' resources as JSON or YAML (istioctl's <c>-o json|yaml</c>); or the rows themselves
/// as JSON or YAML (<c>-o table-json|table-yaml</c>, for scripts that read the table).
/// </summary>
public enum OutputFormat
{
    Table,
    Wide,
    Json,
    Yaml,
    TableJson,
    TableYaml,
}
