using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Html;

/// <summary>
/// What every HTML report says at its top: where the capture came from (<paramref name="Source"/>, and the bundle's
/// manifest in a few words when there is one), which proxy (kind and version), when it was captured, the instant it
/// was judged at (<c>--at</c>; null when nothing is judged against time), and the command's verdict with its exit code.
/// </summary>
public sealed record ReportHeader(
    string Command,
    string Source,
    string? Manifest,
    string? ProxyKind,
    string? ProxyVersion,
    DateTimeOffset? CapturedAt,
    DateTimeOffset? At,
    string Verdict);

/// <summary>
/// The shell of every HTML report: one self-contained document (inline style sheet and script, no external asset, no
/// network), the header block, and the end. Deterministic: nothing depends on the time of rendering.
/// </summary>
public static class HtmlPage
{
    /// <summary>Writes the document's start and the header block; the caller writes sections and calls <see cref="End"/>.</summary>
    public static HtmlWriter Begin(ReportHeader header, IReadOnlyList<(string Label, string Value)> summary)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(summary);
        var w = new HtmlWriter();
        w.Markup("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Markup("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
            .Element("title", $"envoylens {header.Command}: {header.Source}").Line()
            .Markup("<style>").Markup(Style).Markup("</style>\n</head>\n<body>\n");
        w.Open("header", ("id", "report-header"));
        w.Element("h1", $"envoylens {header.Command}");
        w.Open("dl", ("class", "facts"));
        Fact(w, "Source", header.Source);

        // A report of two captures (diff) names both sides in its source instead.
        if (header.ProxyKind is not null)
        {
            Fact(w, "Manifest", header.Manifest ?? "none (not a bundle)");
            Fact(w, "Proxy", header.ProxyKind + (header.ProxyVersion is { } v ? " version " + v : ", version unknown"));
            Fact(w, "Captured", header.CapturedAt is { } c ? TimeText.Utc(c) : "unknown");
        }

        if (header.At is { } at)
        {
            Fact(w, "Judged at", TimeText.Utc(at));
        }

        foreach (var (label, value) in summary)
        {
            Fact(w, label, value);
        }

        w.Open("dt").Text("Verdict").Close("dt").Element("dd", header.Verdict, ("id", "verdict"));
        w.Close("dl").Close("header").Line();
        return w;
    }

    /// <summary>Closes the document, with the page's one inline script.</summary>
    public static string End(HtmlWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Markup("<footer>Written by envoylens; self-contained, opens without network access.</footer>\n");
        w.Markup("<script>").Markup(Script).Markup("</script>\n</body>\n</html>\n");
        return w.ToString();
    }

    private static void Fact(HtmlWriter w, string label, string value) =>
        w.Element("dt", label).Element("dd", value);

    /// <summary>The CSS colour of a severity (also used by the traffic map).</summary>
    public static string SeverityColour(Severity? severity) => severity switch
    {
        Severity.Error => "#d73a49",
        Severity.Warning => "#e6a100",
        Severity.Info => "#2f80ed",
        _ => "#8bc34a",
    };

    private const string Style = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1400px;padding:1em 2em;color:#1f2328;background:#fff}
h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:.5em 0}
dl.facts dt{font-weight:600;color:#57606a}dl.facts dd{margin:0}
#verdict{font-weight:700}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.6em;overflow:auto;max-height:40em}
.controls{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #d0d7de;z-index:2}
.controls label{margin-right:1em}
input[type=search]{width:24em;padding:.2em .4em}
details>summary{cursor:pointer}
details.group>summary{font-size:1.15em;font-weight:600;margin:.6em 0}
h3{font-size:1em;color:#57606a;margin:.8em 0 .3em}
.finding{border:1px solid #d0d7de;border-left:6px solid #8c959f;border-radius:4px;padding:.4em .8em;margin:.4em 0}
.finding[data-severity=error]{border-left-color:#d73a49}.finding[data-severity=warning]{border-left-color:#e6a100}.finding[data-severity=info]{border-left-color:#2f80ed}
.finding.compact{padding:.1em .6em;margin:.15em 0;font-size:.9em}
.finding .message{margin:.3em 0;font-weight:500}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em .8em;margin:.2em 0;font-size:.92em}
.finding dt{color:#57606a}.finding dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:3px;padding:0 .4em;color:#fff;font-size:.8em;font-weight:700;text-transform:uppercase}
.badge.error{background:#d73a49}.badge.warning{background:#e6a100}.badge.info{background:#2f80ed}
table{border-collapse:collapse;font-size:.88em;margin:.5em 0}
th,td{border:1px solid #d0d7de;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.rule{margin:.6em 0;padding:.3em .8em;border-left:3px solid #d0d7de}
.rule:target,.config:target{background:#fff8c5}
.tablebox{overflow:auto}
.svgbox{overflow:auto;border:1px solid #d0d7de;max-height:60em}
svg text{font-family:system-ui,sans-serif;font-size:11px}
.legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;width:1em;height:.8em;margin-right:.3em;vertical-align:middle}
.note{color:#57606a}
table.side-by-side{width:100%;table-layout:fixed}table.side-by-side td pre{margin:0;max-height:20em;white-space:pre-wrap;overflow-wrap:anywhere;border:none;background:none;padding:0}
table.side-by-side th:first-child{width:30%}
.removed{background:#ffebe9}.added{background:#dafbe1}
.hop{border:1px solid #d0d7de;border-radius:4px;padding:.4em .8em;margin:0 0 0 1.5em;position:relative}
.hop-arrow{margin-left:2.2em;color:#8c959f}
.hop.stop{border:2px solid #d73a49;background:#ffebe9}
.hop.stop.ok{border-color:#2da44e;background:#dafbe1}
footer{margin-top:3em;color:#8c959f;font-size:.8em}
""";

    private const string Script = """
(function(){
var boxes=Array.prototype.slice.call(document.querySelectorAll('input.sev-filter'));
var text=document.getElementById('text-filter');
function apply(){
var on={};boxes.forEach(function(b){on[b.value]=b.checked;});
var q=text?text.value.toLowerCase():'';var shown=0;
document.querySelectorAll('.finding').forEach(function(r){var v=on[r.getAttribute('data-severity')]!==false&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);r.hidden=!v;if(v){shown++;}});
document.querySelectorAll('.finding-group').forEach(function(g){g.hidden=!g.querySelector('.finding:not([hidden])');});
var s=document.getElementById('shown-count');if(s){s.textContent=String(shown);}
}
boxes.forEach(function(b){b.addEventListener('change',apply);});
if(text){text.addEventListener('input',apply);}
document.querySelectorAll('a.resource-link').forEach(function(a){a.addEventListener('click',function(){var d=document.getElementById(a.getAttribute('href').slice(1));if(d){d.open=true;}});});
document.querySelectorAll('button[data-toggle]').forEach(function(b){b.addEventListener('click',function(){
var t=document.getElementById(b.getAttribute('data-toggle'));var c=document.getElementById(b.getAttribute('data-collapse'));
if(t){t.hidden=!t.hidden;if(c){c.hidden=!t.hidden;}b.textContent=t.hidden?b.getAttribute('data-more'):b.getAttribute('data-less');}});});
if(boxes.length){apply();}
})();
""";
}
