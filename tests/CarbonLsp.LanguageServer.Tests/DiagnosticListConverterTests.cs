using System.Buffers;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using Range = CarbonLsp.LanguageServer.Protocol.Range;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>The diagnostics list is written from each diagnostic's cached UTF-8 bytes: it must say
/// exactly what Newtonsoft's own serialisation says, and a reused text must never be a stale one.</summary>
public class DiagnosticListConverterTests
{
    private static readonly JsonSerializerSettings Plain = new() { NullValueHandling = NullValueHandling.Ignore };

    private static Diagnostic Make(string message, int line, DiagnosticRelatedInformation[]? related = null, DiagnosticTag[]? tags = null) => new()
    {
        Range = new Range(new Position(line, 4), new Position(line, 20)), Severity = DiagnosticSeverity.Warning, Code = "CL101",
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
        // The notification the message handler writes from the same bytes.
        var (head, tail) = DiagnosticJson.Envelope(new PublishDiagnosticsParams("file:///x.prompts.json", 3, diagnostics));
        var body = new ArrayBufferWriter<byte>();
        body.Write(head);
        var (parts, length) = DiagnosticJson.Elements(diagnostics);
        DiagnosticJson.WriteElements(parts, body);
        body.Write(tail);
        Assert.Equal(head.Length + length + tail.Length, body.WrittenCount);
        var notification = JObject.Parse(System.Text.Encoding.UTF8.GetString(body.WrittenSpan));
        Assert.Equal("2.0", (string)notification["jsonrpc"]!);
        Assert.Equal("textDocument/publishDiagnostics", (string)notification["method"]!);
        Assert.True(JToken.DeepEquals(expected, notification["params"]), notification.ToString());
    }

    [Fact]
    public void The_raw_list_is_what_the_serializer_writes_and_a_reused_text_is_never_stale()
    {
        var message = "60 steps is above what SDXL needs \"quoted\" ≈ 0.1 Wh\n(−50%)";
        var related = new[] { new DiagnosticRelatedInformation(new Location("file:///x.prompts.json", new Range(new Position(1, 2), new Position(1, 9))), "inherited") };
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 5, related), Make("other", 6, tags: new[] { DiagnosticTag.Unnecessary }) });
        // The same message string again: unchanged, moved down a line, another related range, no related, tags.
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 5, related) });
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 6, related) });
        var moved = new[] { new DiagnosticRelatedInformation(new Location("file:///x.prompts.json", new Range(new Position(2, 2), new Position(2, 9))), "inherited") };
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 6, moved) });
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 6) });
        AssertWrittenAsNewtonsoftWould(new[] { Make(message, 6, tags: new[] { DiagnosticTag.Unnecessary }) });
        AssertWrittenAsNewtonsoftWould(Array.Empty<Diagnostic>());
    }
}
