using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Tokenization;
using CarbonLsp.LanguageServer.Configuration;

namespace CarbonLsp.LanguageServer.Documents;

/// <summary>
/// Runs the core analysis for the server with the current settings. The server's I/O for analysis
/// lives here: the CLIP vocabulary and local model folders are read through hooks the host gives.
/// </summary>
public sealed class AnalysisService
{
    private volatile ServerSettings _settings = ServerSettings.Default;
    private long _generation;

    public AnalysisService(DocumentAnalyzer? analyzer = null, Func<string?, ITokenCounter?>? loadTokenizer = null, Func<string, string, ModelSpec?>? resolveLocalModel = null)
    {
        // Built on first use, not at start-up: the initialize response should not wait for the catalog.
        _analyzer = analyzer != null ? new Lazy<DocumentAnalyzer>(analyzer) : new Lazy<DocumentAnalyzer>(() => new DocumentAnalyzer(ModelCatalog.Default, new FootprintEstimator(ModelCatalog.Default, Calibration)));
        _loadTokenizer = loadTokenizer ?? (_ => null);
        _resolveLocalModel = resolveLocalModel ?? ((_, _) => null);
    }

    private readonly Func<string?, ITokenCounter?> _loadTokenizer;
    private readonly Func<string, string, ModelSpec?> _resolveLocalModel;

    private readonly Lazy<DocumentAnalyzer> _analyzer;
    public DocumentAnalyzer Analyzer => _analyzer.Value;
    /// <summary>Measured runs from the ledger, once generation has opened it.</summary>
    public CalibrationProxy Calibration { get; } = new();
    public ModelCatalog Catalog => Analyzer.Catalog;
    public FootprintEstimator Estimator => Analyzer.Estimator;
    public ServerSettings Settings => _settings;
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Prompt rules the host adds for the files of a folder (the server's CL201, which needs the run
    /// ledger), after the built-in ones. Read when options are made: a change takes effect with the next
    /// <see cref="Update"/>.</summary>
    public Func<string, IReadOnlyList<Core.Rules.IPromptRule>>? HostPromptRules { get; set; }

    /// <summary>The workspace folders' paths (from initialize): model folders inside them are read freely.</summary>
    public IReadOnlyList<string> WorkspaceRoots { get; set; } = Array.Empty<string>();

    /// <summary>Why the folder a model name points at (relative to <paramref name="documentFolder"/>) is not
    /// read, or null: see <see cref="ModelFolderTrust"/>. Only names that are paths, or name a folder beside
    /// the file, are folders at all.</summary>
    public string? ModelFolderWithheld(string documentFolder, string name)
    {
        string full;
        try { full = Path.GetFullPath(Path.Combine(documentFolder, name)); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException) { return null; }
        if (!ModelResolver.LooksLikePath(name) && !Directory.Exists(full)) return null;
        return ModelFolderTrust.WhyNotRead(full, documentFolder, WorkspaceRoots, _settings);
    }

    /// <summary>Live grid figures, when the settings name a provider (fetched in the background).</summary>
    public GridMonitor Grid { get; } = new();

    public void Update(ServerSettings settings)
    {
        Grid.Configure(settings);
        _settings = settings;
        Interlocked.Increment(ref _generation);
    }

    // The options of the last folder asked for, per settings generation: the same object again lets an
    // analysis reuse the previous version's prompts (equal options, equal estimates).
    // A reference, so that analyses on other threads read or replace it whole.
    private sealed record CachedOptions(long Generation, string? Folder, AnalysisOptions Options);
    private volatile CachedOptions? _lastOptions;

    public AnalysisOptions OptionsFor(string uri)
    {
        var folder = FolderOf(uri);
        var generation = Generation;
        if (_lastOptions is { } last && last.Generation == generation && last.Folder == folder) return last.Options;
        var options = NewOptions(folder);
        _lastOptions = new CachedOptions(generation, folder, options);
        return options;
    }

    private AnalysisOptions NewOptions(string? folder)
    {
        var s = _settings;
        var hostRules = folder != null && HostPromptRules is { } host ? host(folder) : Array.Empty<Core.Rules.IPromptRule>();
        return new AnalysisOptions
        {
            PromptRules = hostRules.Count == 0 ? null : Core.Rules.BuiltInRules.Prompt.Concat(hostRules).ToArray(),
            Fallbacks = new Core.Analysis.Environment(s.Region, s.Device, s.Pue, s.BudgetGrams),
            Rules = s.Rules,
            Tokenizer = _loadTokenizer(s.TokenizerPath),
            ResolveModel = folder == null ? null : name => ModelFolderWithheld(folder, name) == null ? _resolveLocalModel(folder, name) : null,
            ModelFolderWithheld = folder == null ? null : name => ModelFolderWithheld(folder, name),
            DetectedDevice = Energy.HardwareProbe.Local is { } hw ? new DetectedHardware(hw.Name, hw.Method) : null,
            GridIntensity = Grid.Configured ? Grid.For : null,
            GridForecast = Grid.Configured ? Grid.Signal : null,
        };
    }

    public DocumentAnalysis Analyze(DocumentSnapshot snapshot) => Analyze(snapshot, null, null);

    /// <summary>Analyses a snapshot; given the analysis of an earlier version and the change since, only the
    /// edited prompt is parsed and analysed again when that is possible (the core decides, and falls back to a full pass).</summary>
    public DocumentAnalysis Analyze(DocumentSnapshot snapshot, DocumentAnalysis? previous, Core.Text.TextChange? change, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var document = PromptDocument.Update(previous?.Document, snapshot.Text, change);
        return Analyzer.Analyze(document, OptionsFor(snapshot.Uri), cancellationToken, previous);
    }

    /// <summary>The folder of a file: URI, for resolving relative model paths; null for other schemes.</summary>
    public static string? FolderOf(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || !u.IsFile) return null;
        return Path.GetDirectoryName(u.LocalPath);
    }
}
