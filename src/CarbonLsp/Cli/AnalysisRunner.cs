using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Workspace;

namespace CarbonLsp.Cli;

/// <summary>Reads each file and analyses it with the command line's settings. Shared by
/// `estimate` and `check`.</summary>
public sealed class AnalysisRunner
{
    private readonly DocumentAnalyzer _analyzer = new();

    public DocumentAnalyzer Analyzer => _analyzer;

    public sealed record Result(string Path, DocumentAnalysis? Analysis, string? Error);

    /// <summary>One text as the file at <paramref name="path"/> would be analysed (check --fix re-analyses after each pass).</summary>
    public DocumentAnalysis Analyze(string path, string text, Core.Analysis.Environment overrides, string? tokenizerFolder)
    {
        var tokenizer = TokenizerLocator.Load(tokenizerFolder ?? System.Environment.GetEnvironmentVariable("CARBONLSP_TOKENIZER"));
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        var resolver = new LocalModelResolver(baseDir, _analyzer.Catalog);
        return _analyzer.Analyze(text, new AnalysisOptions { Overrides = overrides, Tokenizer = tokenizer, ResolveModel = resolver.Resolve, DetectedDevice = LocalDevice.Detected }, CancellationToken.None);
    }

    public IEnumerable<Result> Run(IEnumerable<string> paths, Core.Analysis.Environment overrides, string? tokenizerFolder, CancellationToken ct)
    {
        var tokenizer = TokenizerLocator.Load(tokenizerFolder ?? System.Environment.GetEnvironmentVariable("CARBONLSP_TOKENIZER"));
        foreach (var path in paths)
        {
            ct.ThrowIfCancellationRequested();
            if (!PromptFileLoader.TryRead(path, out var text, out var error))
            {
                yield return new Result(path, null, error);
                continue;
            }
            var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
            var resolver = new LocalModelResolver(baseDir, _analyzer.Catalog);
            var options = new AnalysisOptions { Overrides = overrides, Tokenizer = tokenizer, ResolveModel = resolver.Resolve, DetectedDevice = LocalDevice.Detected };
            yield return new Result(path, _analyzer.Analyze(text, options, ct), null);
        }
    }
}
