using System.Globalization;
using System.Runtime.CompilerServices;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Rules;
using CarbonLsp.LanguageServer.Hosting;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>Findings straight to a publishDiagnostics notification in UTF-8, without a
/// <see cref="Diagnostic"/> object per finding. Says exactly what <see cref="Convert.ToDiagnostic"/>
/// serialised by Newtonsoft says (tested).</summary>
/// <remarks>
/// Written by hand for speed: with every prompt of a 10,000-prompt file flagged an edit publishes ~11,000
/// diagnostics (4-5 MB). Everything in a diagnostic but its range — severity, code, link, source, message,
/// tags — is encoded once per message and reused: an edit keeps the findings of every prompt it did not
/// touch with the same message string, and the encoded text is keyed weakly by that string, so it lives as
/// long as the finding. Only the range is written anew (it moves when lines are added above). Findings
/// with related locations (a duplicate prompt, an inherited setting) carry ranges in those too; they are
/// few and go through the <see cref="Diagnostic"/> path.
/// </remarks>
internal static class DiagnosticEncoder
{
    private static readonly ConditionalWeakTable<string, Tail> s_tails = new();

    /// <summary>A diagnostic without its range, as JSON: <c>{"severity":...,"message":...}</c>.</summary>
    private sealed record Tail(string Code, Severity Severity, bool Unnecessary, string? Href, byte[] Utf8, int Hash);

    public static EncodedPublishDiagnostics Encode(string uri, int? version, DocumentAnalysis analysis, ClientCapabilities client)
    {
        var related = client.SupportsRelatedInformation;
        var unnecessary = client.SupportsUnnecessaryTag;
        var document = analysis.Document;
        // Sized once: with ~11,000 diagnostics, two lists grown by doubling and then copied made a dozen
        // arrays per edit, up to 256 KB each; these are two.
        var count = analysis.FindingCount;
        var parts = new byte[count][];
        var ranges = new int[4 * count];
        var n = 0;
        var hash = new HashCode();
        // As found: a kept prompt's findings are the very objects of an earlier version, moved by an offset.
        foreach (var found in analysis.FindingsAsFound())
        {
            var f = found.Found;
            if (related && f.Related.Count > 0)
            {
                var whole = DiagnosticJson.Utf8(Convert.ToDiagnostic(uri, document, found.InThisVersion, client));
                parts[n] = whole;
                ranges[4 * n] = EncodedPublishDiagnostics.NoRange;
                n++;
                hash.AddBytes(whole);
                continue;
            }
            var encoded = TailOf(f, unnecessary && f.Unnecessary);
            var range = document.GetRange(found.Span);
            parts[n] = encoded.Utf8;
            ranges[4 * n] = range.Start.Line;
            ranges[4 * n + 1] = range.Start.Character;
            ranges[4 * n + 2] = range.End.Line;
            ranges[4 * n + 3] = range.End.Character;
            n++;
            hash.Add(range.Start.Line);
            hash.Add(range.Start.Character);
            hash.Add(range.End.Line);
            hash.Add(range.End.Character);
            hash.Add(encoded.Hash);
        }
        if (n != count) throw new InvalidOperationException($"{n} findings, {count} counted");
        return new EncodedPublishDiagnostics(uri, version, parts, ranges, $"{count}:{hash.ToHashCode()}");
    }

    private static Tail TailOf(Finding f, bool unnecessaryTag)
    {
        var href = Configuration.RulesDocs.For(f.Code);
        if (s_tails.TryGetValue(f.Message, out var cached) && cached.Code == f.Code && cached.Severity == f.Severity
            && cached.Unnecessary == unnecessaryTag && cached.Href == href)
            return cached;
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var json = new JsonTextWriter(text) { CloseOutput = false })
        {
            // The order of Diagnostic's properties, without "range"; absent ones are left out as there.
            json.WriteStartObject();
            json.WritePropertyName("severity");
            json.WriteValue((int)f.Severity); // Core's Severity has LSP's numbers
            json.WritePropertyName("code");
            json.WriteValue(f.Code);
            if (href != null)
            {
                json.WritePropertyName("codeDescription");
                json.WriteStartObject();
                json.WritePropertyName("href");
                json.WriteValue(href);
                json.WriteEndObject();
            }
            json.WritePropertyName("source");
            json.WriteValue(Diagnostic.DefaultSource);
            json.WritePropertyName("message");
            json.WriteValue(f.Message);
            if (unnecessaryTag)
            {
                json.WritePropertyName("tags");
                json.WriteStartArray();
                json.WriteValue((int)DiagnosticTag.Unnecessary);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var tail = new Tail(f.Code, f.Severity, unnecessaryTag, href, utf8, hash.ToHashCode());
        s_tails.AddOrUpdate(f.Message, tail);
        return tail;
    }
}
