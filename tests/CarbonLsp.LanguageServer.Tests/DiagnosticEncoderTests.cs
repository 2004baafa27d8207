using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Text;
using CarbonLsp.LanguageServer.Features;
using CarbonLsp.LanguageServer.Hosting;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>The push path encodes findings without Diagnostic objects (DiagnosticEncoder): it must say
/// exactly what the Diagnostic path serialised by Newtonsoft says, for every client, and an encoding reused
/// for a message must never be a stale one.</summary>
public class DiagnosticEncoderTests
{
    private const string Uri = "file:///ws/x.prompts.json";
    private static readonly JsonSerializer Plain = JsonSerializer.Create(new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore });

    private static readonly ClientCapabilities[] Clients =
    {
        ClientCapabilities.None,
        new(JObject.Parse("""{ "textDocument": { "publishDiagnostics": { "relatedInformation": true, "tagSupport": { "valueSet": [1, 2] }, "codeDescriptionSupport": true } } }""")),
        new(JObject.Parse("""{ "textDocument": { "publishDiagnostics": { "relatedInformation": true } } }""")),
        new(JObject.Parse("""{ "textDocument": { "publishDiagnostics": { "tagSupport": { "valueSet": [1] } } } }""")),
    };

    private static string Baseline(string name) => File.ReadAllText(Path.Combine(FindRoot(), "tests", "baselines", name));

    private static void AssertSameAsDiagnostics(DocumentAnalysis analysis, int version)
    {
        foreach (var client in Clients)
        {
            var encoded = DiagnosticEncoder.Encode(Uri, version, analysis, client);
            var bytes = encoded.ToArray();
            Assert.Equal(encoded.Length, bytes.Length); // the Content-Length the handler writes
            var notification = JObject.Parse(System.Text.Encoding.UTF8.GetString(bytes));
            var expected = new JObject
            {
                ["uri"] = Uri, ["version"] = version,
                ["diagnostics"] = JArray.FromObject(analysis.Findings.Select(f => Features.Convert.ToDiagnostic(Uri, analysis.Document, f, client)).ToList(), Plain),
            };
            Assert.Equal("2.0", (string?)notification["jsonrpc"]);
            Assert.Equal(Methods.PublishDiagnostics, (string?)notification["method"]);
            Assert.True(JToken.DeepEquals(expected, notification["params"]), $"expected {expected}\nwritten {notification["params"]}");
            Assert.Equal(analysis.Findings.Count, encoded.Count);
            // What a tracer would log: the same params.
            Assert.True(JToken.DeepEquals(expected, JToken.Parse(JsonConvert.SerializeObject(encoded))));
        }
    }

    [Theory]
    [InlineData("wasteful.prompts.json")]
    [InlineData("broken.prompts.json")]
    [InlineData("ids.prompts.json")]
    [InlineData("unknowns.prompts.json")]
    public void Encodes_what_the_diagnostic_path_serialises_for_every_client(string file)
    {
        var analysis = new DocumentAnalyzer().Analyze(Baseline(file));
        Assert.NotEmpty(analysis.Findings);
        AssertSameAsDiagnostics(analysis, 7);
    }

    [Fact]
    public void After_an_edit_kept_findings_move_and_the_fingerprint_changes_only_with_what_is_said()
    {
        var analyzer = new DocumentAnalyzer();
        var text = Baseline("wasteful.prompts.json");
        var before = analyzer.Analyze(PromptDocument.Parse(text));
        // A new line above every prompt but the first: kept findings keep their message strings, their
        // ranges move down a line.
        var at = text.IndexOf("\"prompts\"", StringComparison.Ordinal);
        at = text.IndexOf('\n', text.IndexOf('{', at + 10)) + 1;
        var edited = text.Insert(at, "\n");
        var after = analyzer.Analyze(PromptDocument.Update(before.Document, edited, new TextChange(at, at, at + 1)), previous: before);
        AssertSameAsDiagnostics(after, 8);
        var client = Clients[1];
        var a = DiagnosticEncoder.Encode(Uri, 7, before, client);
        var b = DiagnosticEncoder.Encode(Uri, 8, after, client);
        var again = DiagnosticEncoder.Encode(Uri, 9, analyzer.Analyze(PromptDocument.Parse(text)), client);
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);   // ranges moved
        Assert.Equal(a.Fingerprint, again.Fingerprint);  // the same diagnostics from new objects and strings
    }

    [Fact]
    public void A_message_string_reused_with_another_code_or_severity_is_encoded_anew()
    {
        var analysis = new DocumentAnalyzer().Analyze(Baseline("wasteful.prompts.json"));
        var message = analysis.Findings[0].Message;
        AssertSameAsDiagnostics(analysis, 1);
        foreach (var changed in new[]
                 {
                     analysis.Findings[0] with { Severity = Severity.Hint },
                     analysis.Findings[0] with { Code = "CL999" },
                     analysis.Findings[0] with { Unnecessary = !analysis.Findings[0].Unnecessary, Related = Array.Empty<RelatedLocation>() },
                 })
        {
            Assert.Same(message, changed.Message);
            var copy = new DocumentAnalysis
            {
                Document = analysis.Document, Prompts = analysis.Prompts, Findings = new[] { changed }, Totals = analysis.Totals, Device = analysis.Device,
                DeviceChoice = analysis.DeviceChoice, Region = analysis.Region, Pue = analysis.Pue,
            };
            AssertSameAsDiagnostics(copy, 2);
        }
    }

    [Fact]
    public async Task A_notification_of_several_megabytes_goes_through_a_pipe_whole_and_as_long_as_its_header_says()
    {
        // Every prompt flagged: more than a megabyte of diagnostics, so the writer moves on to new chunks
        // mid-diagnostic and mid-number.
        var text = new System.Text.StringBuilder("{ \"region\": \"DE\", \"prompts\": [\n");
        for (var i = 0; i < 4000; i++)
            text.Append($"  {{ \"id\": \"p{i}\", \"prompt\": \"a fox {i}\", \"model\": \"sdxl\", \"steps\": 80, \"width\": 2048, \"height\": 2048 }}{(i < 3999 ? "," : "")}\n");
        text.Append("] }\n");
        var analysis = new DocumentAnalyzer().Analyze(text.ToString());
        var encoded = DiagnosticEncoder.Encode(Uri, 3, analysis, Clients[1]);
        Assert.True(encoded.Length > 2_000_000, $"only {encoded.Length} bytes");
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0));
        encoded.WriteTo(pipe.Writer);
        await pipe.Writer.CompleteAsync();
        using var received = new MemoryStream();
        await pipe.Reader.CopyToAsync(received);
        var bytes = received.ToArray();
        Assert.Equal(encoded.Length, bytes.Length);
        Assert.Equal(encoded.ToArray(), bytes);
        var diagnostics = (JArray)JObject.Parse(System.Text.Encoding.UTF8.GetString(bytes))["params"]!["diagnostics"]!;
        Assert.Equal(analysis.Findings.Count, diagnostics.Count);
        Assert.Equal(encoded.Count, diagnostics.Count);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CarbonLsp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CarbonLsp.sln not found above the test folder.");
    }
}
