using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Cli.Options;

/// <summary>The text-or-JSON forms of <c>decode</c>, <c>diff</c>, <c>rules</c> and <c>certs inspect|verify|compare</c>.</summary>
internal enum TextOrJson
{
    Text,
    Json,
}

/// <summary>The forms of <c>diff</c> and <c>trace</c>: text, JSON, or one self-contained HTML page.</summary>
internal enum TextJsonOrHtml
{
    Text,
    Json,
    Html,
}

/// <summary>Output forms of <c>envoylens analyze</c>.</summary>
internal enum AnalyzeFormat
{
    Text,
    Json,
    Sarif,
    Html,
}

/// <summary>Output forms of the <c>envoylens certs</c> list: the table fitted to a width, every column, or JSON.</summary>
internal enum CertsListFormat
{
    Table,
    Wide,
    Json,
    Html,
}

/// <summary>Every command's typed <c>--output</c>/<c>-o</c>: one word set per form, one error sentence for all.</summary>
internal static class OutputOptions
{
    /// <summary><c>-o text|json</c> (default text); <paramref name="acceptTable"/> also takes <c>table</c> for text.</summary>
    public static ChoiceOption<TextOrJson> TextOrJson(string description = "Output format: text or json.", bool acceptTable = false)
    {
        var option = Create<Options.TextOrJson>(description, "text|json", "text")
            .With("text", Options.TextOrJson.Text)
            .With("json", Options.TextOrJson.Json);
        return acceptTable ? option.With("table", Options.TextOrJson.Text, listed: false) : option;
    }

    /// <summary><c>-o text|json|html</c> (default text).</summary>
    public static ChoiceOption<TextJsonOrHtml> TextJsonOrHtml(string description) =>
        Create<Options.TextJsonOrHtml>(description, "text|json|html", "text")
            .With("text", Options.TextJsonOrHtml.Text)
            .With("json", Options.TextJsonOrHtml.Json)
            .With("html", Options.TextJsonOrHtml.Html);

    /// <summary><c>analyze -o text|json|sarif|html</c>.</summary>
    public static ChoiceOption<AnalyzeFormat> Analyze() =>
        Create<AnalyzeFormat>("Output format: text (findings grouped by severity), json (schema envoylens-analysis/v1), sarif (SARIF 2.1.0) or html (one self-contained page: findings, certificate timeline, traffic map).", "text|json|sarif|html", "text")
            .With("text", AnalyzeFormat.Text)
            .With("json", AnalyzeFormat.Json)
            .With("sarif", AnalyzeFormat.Sarif)
            .With("html", AnalyzeFormat.Html);

    /// <summary><c>certs -o table|wide|json|html</c>.</summary>
    public static ChoiceOption<CertsListFormat> CertsList() =>
        Create<CertsListFormat>("Output format: table (fits the terminal, else 120 columns, dropping the least useful columns), wide (every column), json or html (one self-contained page with a validity timeline).", "table|wide|json|html", "table")
            .With("table", CertsListFormat.Table)
            .With("wide", CertsListFormat.Wide)
            .With("json", CertsListFormat.Json)
            .With("html", CertsListFormat.Html);

    /// <summary><c>config VIEW -o FORMAT</c>: the tables, or the resources in full, or the rows as data.</summary>
    public static ChoiceOption<OutputFormat> Config() =>
        Create<OutputFormat>("table; wide (more columns); json or yaml (the selected resources' full configuration, like istioctl); table-json or table-yaml (the table's rows).", "FORMAT", "table")
            .With("table", OutputFormat.Table)
            .With("wide", OutputFormat.Wide)
            .With("json", OutputFormat.Json)
            .With("yaml", OutputFormat.Yaml)
            .With("table-json", OutputFormat.TableJson)
            .With("table-yaml", OutputFormat.TableYaml);

    /// <summary><c>status -o table|json|yaml</c>.</summary>
    public static ChoiceOption<OutputFormat> Status() =>
        Create<OutputFormat>("Output format: table (istioctl proxy-status's columns; a NACK shows as ERROR), wide (the table, then one line per NACK with the control plane's error text, as --details), json or yaml (schema envoylens-status/v1, with versions and NACK details).", "table|wide|json|yaml", "table")
            .With("table", OutputFormat.Table)
            .With("wide", OutputFormat.Wide)
            .With("json", OutputFormat.Json)
            .With("yaml", OutputFormat.Yaml);

    private static ChoiceOption<T> Create<T>(string description, string helpName, string defaultWord)
        where T : struct => new("--output", "-o", description, helpName, default, defaultWord);
}
