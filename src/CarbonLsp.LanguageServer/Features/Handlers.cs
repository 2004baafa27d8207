using CarbonLsp.LanguageServer.Hosting;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>The one list of handlers, grouped as the folders are.</summary>
internal static class Handlers
{
    public static IEnumerable<object> Create(Hosting.LanguageServer server)
    {
        var generation = new Generation.GenerationHandler(server);
        server.Generation = generation;
        server.Analysis.HostPromptRules = generation.RulesFor;
        var savings = new SavingsFeature(server, generation);
        var report = new FootprintReportFeature(server, generation);
        return new object[]
        {
        // Lifecycle and workspace
        new LifecycleHandler(server),
        new ConfigurationHandler(server),
        new ExecuteCommandHandler(server, generation, savings, report),
        generation,
        // Language features
        new TextDocumentSyncHandler(server),
        new PullDiagnosticsHandler(server),
        new HoverHandler(server),
        new CodeActionHandler(server),
        new CodeLensHandler(server),
        new InlayHintHandler(server),
        new CompletionHandler(server),
        new DocumentSymbolHandler(server),
        // Custom
        new SummaryHandler(server, savings),
        };
    }
}
