using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using Range = CarbonLsp.LanguageServer.Protocol.Range;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>The diagnostics list is written as raw JSON with each diagnostic's text reused: it must say
/// exactly what Newtonsoft's own serialisation says, and a reused text must never be a stale one.</summary>
public class DiagnosticListConverterTests
{
    private static readonly JsonSerializerSettings Plain = new() { NullValueHandling = NullValueHandling.Ignore };

    private static Diagnostic Make(string message, int line, DiagnosticRelatedInformation[]? related = null, int[]? tags = null) => new()
    {
        Range = new Range(new Position(line, 4), new Position(line, 20)), Severity = 2, Code = "CL101",
        CodeDescription = new CodeDescription("https://example.invalid/docs#cl101"), Message = message, Tags = tags, RelatedInformation = related,
    };

    private static void AssertWrittenAsNewtonsoftWould(IReadOnlyList<Diagnostic> diagnostics)
    {
        var raw = JsonConvert.SerializeObject(new PublishDiagnosticsParams("file:///x.prompts.json", 3, diagnostics), Plain);
        var expected = new JObject
        {
            ["uri"] = "file:///x.prompts.json", ["version"] = 3,
            ["diagnostics"] = JArray.FromObject(diagnostics, JsonSerializer.Create(Plain)),
        };
        Assert.True(JToken.DeepEquals(expected, JObject.Parse(raw)), raw);
    }

    [Fact]
    public void The_raw_list_is_what_the_serializer_writes_and_a_reused_text_is_never_stale()
    {
        var message = "60 steps is above what SDXL needs \"quoted\" ≈ 0.1 Wh\n(−50%)";
        var related = new[] { new DiagnosticRelatedInformation(new Location("file:///x.prompts.json", new Range(new Position(1, 2), new Position(1, 9))), "inherited") };
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 5, related), Make("other", 6, tags: new[] { 1 }) });
        // The same message string again: unchanged, moved down a line, another related range, no related, tags.
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 5, related) });
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 6, related) });
        var moved = new[] { new DiagnosticRelatedInformation(new Location("file:///x.prompts.json", new Range(new Position(2, 2), new Position(2, 9))), "inherited") };
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 6, moved) });
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 6) });
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 6, tags: new[] { 1 }) });
        AssertWrittenAsNewtonsoftWould(Array.Empty<Diagnostic>());
    }
}
