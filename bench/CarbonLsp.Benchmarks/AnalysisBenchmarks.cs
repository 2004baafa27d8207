using BenchmarkDotNet.Attributes;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Schema;

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

    [GlobalSetup]
    public void Setup()
    {
        _text = File == "typical" ? PromptFiles.GenerateTypical(Prompts) : PromptFiles.Generate(Prompts);
        _document = PromptDocument.Parse(_text);
        _analyzer.Analyze(_document); // warm the catalog, schema and estimator
    }

    [Benchmark(Description = "parse")]
    public PromptDocument Parse() => PromptDocument.Parse(_text);

    [Benchmark(Description = "schema check")]
    public object Schema() => SchemaValidator.Validate(_document.Root);

    [Benchmark(Description = "parse + analyse (all)")]
    public DocumentAnalysis ParseAndAnalyse() => _analyzer.Analyze(_text);
}
