namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>The LSP method names we handle or send, in specification order.</summary>
public static class Methods
{
    public const string Initialize = "initialize";
    public const string Initialized = "initialized";
    public const string Shutdown = "shutdown";
    public const string Exit = "exit";
    public const string SetTrace = "$/setTrace";
    public const string LogTrace = "$/logTrace";
    public const string Progress = "$/progress";
    public const string LogMessage = "window/logMessage";
    public const string ShowDocument = "window/showDocument";
    public const string ShowMessage = "window/showMessage";
    public const string WorkDoneProgressCreate = "window/workDoneProgress/create";
    public const string RegisterCapability = "client/registerCapability";
    public const string Configuration = "workspace/configuration";
    public const string DidChangeConfiguration = "workspace/didChangeConfiguration";
    public const string ExecuteCommand = "workspace/executeCommand";
    public const string CodeLensRefresh = "workspace/codeLens/refresh";
    public const string InlayHintRefresh = "workspace/inlayHint/refresh";
    public const string DiagnosticRefresh = "workspace/diagnostic/refresh";
    public const string DidOpen = "textDocument/didOpen";
    public const string DidChange = "textDocument/didChange";
    public const string DidClose = "textDocument/didClose";
    public const string DidSave = "textDocument/didSave";
    public const string PublishDiagnostics = "textDocument/publishDiagnostics";
    public const string Diagnostic = "textDocument/diagnostic";
    public const string Hover = "textDocument/hover";
    public const string Completion = "textDocument/completion";
    public const string CodeAction = "textDocument/codeAction";
    public const string CodeLens = "textDocument/codeLens";
    public const string InlayHint = "textDocument/inlayHint";
    public const string DocumentSymbol = "textDocument/documentSymbol";
    public const string Summary = "carbonlsp/summary";
}

/// <summary>LSP error codes we return.</summary>
public static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int InvalidParams = -32602;
    public const int ServerNotInitialized = -32002;
    public const int RequestFailed = -32803;
    public const int RequestCancelled = -32800;
    /// <summary>The document changed while a request was computed on the older version (LSP 3.17).</summary>
    public const int ContentModified = -32801;
}
