using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Hosting;

/// <summary>What the client declared in initialize, as named questions. Every optional feature and
/// every server-to-client request asks here first, so clients without a feature (Neovim 0.7, older
/// LSP4IJ) still work.</summary>
public sealed class ClientCapabilities
{
    private readonly JToken _caps;

    public ClientCapabilities(JToken? capabilities) => _caps = capabilities ?? new JObject();

    public static readonly ClientCapabilities None = new(null);

    private bool Flag(string path) => _caps.SelectToken(path) is JValue { Type: JTokenType.Boolean } v && (bool)v.Value!;
    private bool Has(string path) => _caps.SelectToken(path) is { Type: not JTokenType.Null };

    public bool SupportsPullDiagnostics => Has("textDocument.diagnostic");
    public bool SupportsConfiguration => Flag("workspace.configuration");
    public bool SupportsDynamicConfigurationChange => Flag("workspace.didChangeConfiguration.dynamicRegistration");
    public bool SupportsRelatedInformation => Flag("textDocument.publishDiagnostics.relatedInformation");
    public bool SupportsUnnecessaryTag => _caps.SelectToken("textDocument.publishDiagnostics.tagSupport.valueSet") is JArray a && a.Any(t => t.Type == JTokenType.Integer && (int)t == 1);
    public bool SupportsCodeDescription => Flag("textDocument.publishDiagnostics.codeDescriptionSupport");
    public bool SupportsVersionedEdits => Flag("workspace.workspaceEdit.documentChanges");
    public bool SupportsHierarchicalSymbols => Flag("textDocument.documentSymbol.hierarchicalDocumentSymbolSupport");
    public bool SupportsCodeActionLiterals => Has("textDocument.codeAction.codeActionLiteralSupport");
    public bool SupportsShowDocument => Flag("window.showDocument.support");
    public bool SupportsWorkDoneProgress => Flag("window.workDoneProgress");
    public bool SupportsCodeLensRefresh => Flag("workspace.codeLens.refreshSupport");
    public bool SupportsInlayHintRefresh => Flag("workspace.inlayHint.refreshSupport");
    public bool SupportsDiagnosticRefresh => Flag("workspace.diagnostics.refreshSupport");

    /// <summary>Markdown hovers when the client lists markdown (or says nothing, as old clients do).</summary>
    public bool SupportsMarkdownHover =>
        _caps.SelectToken("textDocument.hover.contentFormat") is not JArray formats || formats.Any(f => (string?)f == "markdown");
}
