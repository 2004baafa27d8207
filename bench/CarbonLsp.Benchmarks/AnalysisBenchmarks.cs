using BenchmarkDotNet.Attributes;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Schema;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Benchmarks;

/// <summary>Parse and analyse 1,000- and 10,000-prompt files (target: 10,000 under 50 ms on one core).
/// Results are written down in docs/perf.md.</summary>
[MemoryDiagnoser]
public class AnalysisBenchmarks
{
    private string _text = "";
    private PromptDocument _document = null!;
    private readonly DocumentAnalyzer _analyzer = new();

    [Params(1_000, 10_000)]
    public int Prompts { get; set; }

    /// <summary>"typical": one prompt in fifty has a finding; "stress": nearly all do.</summary>
    [Params("typical", "stress")]
    public string File { get; set; } = "typical";

    // An edit inside the middle prompt's text: typed, then deleted, alternately.
    private string _edited = "";
    private int _at;
    private DocumentAnalysis _last = null!;
    private bool _typed;

    [GlobalSetup]
    public void Setup()
    {
        _text = File == "typical" ? PromptFiles.GenerateTypical(Prompts) : PromptFiles.Generate(Prompts);
        _document = PromptDocument.Parse(_text);
        _last = _analyzer.Analyze(_document); // also warms the catalog, schema and estimator
        var middle = _document.Prompts[_document.Prompts.Count / 2];
        // Two characters into the middle prompt's text: after its "prompt" key, the colon and the opening quote.
        _at = _text.IndexOf('"', _text.IndexOf(':', middle.AnchorSpan.Start)) + 2;
        _edited = _text.Insert(_at, "x");
    }

    [Benchmark(Description = "parse")]
    public PromptDocument Parse() => PromptDocument.Parse(_text);

    [Benchmark(Description = "schema check")]
    public object Schema() => CompiledSchema.Check(_document.Root);

    [Benchmark(Description = "parse + analyse (all)")]
    public DocumentAnalysis ParseAndAnalyse() => _analyzer.Analyze(_text);

    /// <summary>What a keystroke costs the server: the next version from the previous one and its analysis.</summary>
    [Benchmark(Description = "edit one prompt (incremental)")]
    public DocumentAnalysis EditOnePrompt()
    {
        _typed = !_typed;
        var (text, change) = _typed ? (_edited, new TextChange(_at, _at, _at + 1)) : (_text, new TextChange(_at, _at + 1, _at));
        return _last = _analyzer.Analyze(PromptDocument.Update(_last.Document, text, change), null, default, _last);
    }
}
