using CarbonLsp.LanguageServer.Documents;
using CarbonLsp.LanguageServer.Protocol;
using CarbonLsp.Reports;
using CarbonLsp.Reports.Html;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>carbonlsp.report (issue 22): the HTML report of a workspace root, written to
/// .carbonlsp/footprint-report.html inside it (never elsewhere), with the prompt files as the editor has them
/// (open files with their unsaved text) and the root's ledger. Answers the file's path and uri; VS Code shows it
/// in a webview, other editors open it (with `[uri, true]` the server asks the client to show it).</summary>
internal sealed class FootprintReportFeature(Hosting.LanguageServer server, Generation.GenerationHandler generation)
{
    public const string Report = "carbonlsp.report";

    public async Task<object> WriteAsync(JArray? args, CancellationToken ct)
    {
        var (uri, open) = CommandArguments.Report(args, Report);
        string? start = null;
        if (uri != null)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || !u.IsFile) throw new LocalRpcException($"No report: {uri} is not a file or folder.") { ErrorCode = ErrorCodes.InvalidParams };
            start = Directory.Exists(u.LocalPath) ? Path.Combine(u.LocalPath, "_") : u.LocalPath;
        }
        else if (server.WorkspaceFolders.Select(f => Uri.TryCreate(f, UriKind.Absolute, out var w) && w.IsFile ? w.LocalPath : null).FirstOrDefault(f => f != null) is { } folder)
            start = Path.Combine(folder, "_");
        if (start == null) throw new LocalRpcException("No report: open a folder (a workspace) first; the report covers its prompt files and ledger.") { ErrorCode = ErrorCodes.InvalidParams };
        var root = generation.RootOf(start);

        (string Path, int Files, int Runs, int Bytes) written;
        try { written = await Task.Run(() => Write(root, ct), ct).ConfigureAwait(false); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only workspace, a full disk, a .carbonlsp that is a link out of the workspace: said, not a crash.
            throw new LocalRpcException($"No report: it could not be written in {root}/.carbonlsp ({ex.Message}).") { ErrorCode = ErrorCodes.RequestFailed };
        }
        var fileUri = new Uri(written.Path).AbsoluteUri;
        if (open && server.Client.SupportsShowDocument)
            _ = server.RequestAsync<JToken>(Methods.ShowDocument, new { uri = fileUri, external = true });
        return new { path = written.Path, uri = fileUri, files = written.Files, runs = written.Runs, bytes = written.Bytes };
    }

    private (string Path, int Files, int Runs, int Bytes) Write(string root, CancellationToken ct)
    {
        var service = server.Analysis;
        var open = server.Documents.All.ToDictionary(s => s.Uri, s => s.Text.ToString(), StringComparer.Ordinal);
        var notes = new List<string>();
        var reports = new List<FileReport>();
        foreach (var path in WorkspaceFiles.PromptFilesUnder(root).Order(StringComparer.Ordinal).Take(WorkspaceFiles.MaxFiles))
        {
            ct.ThrowIfCancellationRequested();
            var fileUri = new Uri(path).AbsoluteUri;
            string text;
            try
            {
                if (!open.TryGetValue(fileUri, out text!))
                {
                    if (new FileInfo(path).Length > 64L * 1024 * 1024) { notes.Add($"{path}: over 64 MB, left out."); continue; }
                    text = File.ReadAllText(path);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                notes.Add($"{path}: not read ({ex.Message}).");
                continue;
            }
            var options = service.OptionsFor(fileUri);
            var analysis = service.Analyzer.Analyze(text, options, ct);
            reports.Add(ReportBuilder.Build(path, analysis, t => service.Analyzer.Analyze(t, options, ct)));
        }
        if (reports.Count == 0 && notes.Count == 0) notes.Add($"{root}: no *.prompts.json in this folder or below it.");

        var view = LedgerReader.Read(generation.LedgerOf(root, create: false), out var ledgerNote);
        var html = HtmlReport.Render(new HtmlReportData
        {
            Files = reports, Workspace = root, Ledger = view, LedgerNote = ledgerNote, Notes = notes, ToolVersion = typeof(FootprintReportFeature).Assembly.GetName().Version?.ToString(3) ?? "",
            Equivalents = EquivalentsReport.Of(service.Estimator, reports),
        });
        var target = CarbonLsp.Generation.Output.WorkspacePaths.ResolveInside(root, Path.Combine(".carbonlsp", "footprint-report.html"));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        AtomicText.Write(target, html);
        return (target, reports.Count, view?.Runs.Count ?? 0, html.Length);
    }
}
