namespace CarbonLsp.LanguageServer.Protocol;

// LSP's numeric enumerations, written as their numbers (Newtonsoft's default for enums).

public enum DiagnosticSeverity { Error = 1, Warning = 2, Information = 3, Hint = 4 }

public enum DiagnosticTag { Unnecessary = 1, Deprecated = 2 }

public enum TextDocumentSyncKind { None = 0, Full = 1, Incremental = 2 }

/// <summary>The CompletionItemKind values we send (LSP 3.17).</summary>
public enum CompletionItemKind { Property = 10, Value = 12, EnumMember = 20, Constant = 21 }
