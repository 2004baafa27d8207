using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>workspace/executeCommand. The footprint lens's command answers with the prompt's
/// footprint (clients show lenses by title; clicking is harmless). Generation commands come with
/// the generation layer.</summary>
internal sealed class ExecuteCommandHandler(Hosting.LanguageServer server, Generation.GenerationHandler generation, SavingsFeature savings, FootprintReportFeature report) : HandlerBase(server)
{
    public const string ShowFootprint = "carbonlsp.showFootprint";
    public static readonly string[] Commands = new[] { ShowFootprint, SavingsFeature.RecordSaving, FootprintReportFeature.Report }.Concat(Generation.GenerationHandler.Commands).ToArray();

    [JsonRpcMethod(Methods.ExecuteCommand, UseSingleObjectParameterDeserialization = true)]
    public async Task<object?> ExecuteCommand(JToken? p, CancellationToken ct)
    {
        Server.EnsureServing();
        var command = (string?)p?["command"];
        var args = p?["arguments"] as JArray;
        switch (command)
        {
            case ShowFootprint:
                var target = CommandArguments.Prompt(args, ShowFootprint);
                var snapshot = Snapshot(target.Uri);
                var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
                var prompt = analysis?.Prompts.FirstOrDefault(x => x.Entry.Index == target.PromptIndex);
                return prompt == null ? null : Core.Features.Hovers.Footprint(analysis!, prompt, Server.Analysis.Catalog);
            case Generation.GenerationHandler.Generate or Generation.GenerationHandler.GenerateAll:
                return await generation.RunAsync(command, args, p?["workDoneToken"], ct).ConfigureAwait(false);
            case Generation.GenerationHandler.GenerateAtCleanest:
                return await generation.GenerateAtCleanestAsync(args, p?["workDoneToken"], ct).ConfigureAwait(false);
            case SavingsFeature.RecordSaving:
                return savings.Record(args);
            case FootprintReportFeature.Report:
                return await report.WriteAsync(args, ct).ConfigureAwait(false);
            case Generation.GenerationHandler.Cancel:
                return generation.CancelAll();
            case Generation.GenerationHandler.OpenImage:
                return generation.Open(args);
            default:
                throw new LocalRpcException($"Unknown command '{command}'.") { ErrorCode = ErrorCodes.InvalidParams };
        }
    }
}
