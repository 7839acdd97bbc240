namespace EnvoyLens.Reporting.Rendering;

/// <summary>How views are written: aligned text tables, JSON, or YAML.</summary>
public enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
