using System.Text;
using System.Text.RegularExpressions;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Text;
using Xunit;

namespace CarbonLsp.Core.Tests;

/// <summary>An edit inside one prompt re-parses and re-analyses only that prompt. These tests hold the
/// incremental path to the full one: after every edit of a long random session, the updated
/// document's analysis must say exactly what a fresh parse and analysis of the same text says.</summary>
public class IncrementalAnalysisTests
{
    private static readonly DocumentAnalyzer Analyzer = new();
    private static readonly string[] Models = { "sd15", "sdxl", "sdxl-turbo", "flux-schnell", "carbon-tiny", "sd-turbo", "nonesuch" };

    private static string File(Random random, int prompts, bool defaultsFirst)
    {
        var defaults = "\"defaults\": { \"model\": \"sdxl\", \"steps\": 30 }";
        var items = Enumerable.Range(0, prompts).Select(i => random.Next(3) switch
        {
            0 => $"    {{ \"id\": \"p{i}\", \"prompt\": \"a red fox {random.Next(8)}\" }}",
            1 => $"    {{ \"id\": \"p{i}\", \"prompt\": \"a city at night {random.Next(8)}\", \"model\": \"{Models[random.Next(Models.Length)]}\", \"steps\": {random.Next(1, 80)} }}",
            _ => $"    {{\n      \"prompt\": \"a bowl of fruit {random.Next(8)}\",\n      \"guidance\": {random.Next(0, 9)},\n      \"width\": {256 * random.Next(1, 6)}\n    }}",
        });
        var body = "  \"prompts\": [\n" + string.Join(",\n", items) + "\n  ]";
        return defaultsFirst ? "{\n  " + defaults + ",\n" + body + ",\n  \"region\": \"FR\"\n}\n" : "{\n" + body + ",\n  " + defaults + ",\n  \"budget\": { \"co2eGrams\": 40 }\n}\n";
    }

    /// <summary>A plausible edit of <paramref name="text"/>: mostly what typing does inside a prompt, sometimes
    /// something that breaks the syntax or reaches outside a prompt.</summary>
    private static (int Start, int End, string Insert) RandomEdit(Random random, string text)
    {
        switch (random.Next(10))
        {
            case 0 or 1 or 2: // retype a number
            {
                var numbers = Regex.Matches(text, "[0-9]+");
                var m = numbers[random.Next(numbers.Count)];
                return (m.Index, m.Index + m.Length, random.Next(1, 120).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            case 3 or 4: // type inside a prompt's words
            {
                var words = Regex.Matches(text, "\"(a [a-z ]+[0-9]*)\"");
                var m = words[random.Next(words.Count)].Groups[1];
                var at = m.Index + random.Next(m.Length + 1);
                return random.Next(3) == 0 && at < m.Index + m.Length ? (at, at + 1, "") : (at, at, random.Next(2) == 0 ? "x" : " big");
            }
            case 5: // add a property after an opening brace
            {
                var braces = Regex.Matches(text, "\\{ ");
                var m = braces[random.Next(braces.Count)];
                var property = random.Next(4) switch
                {
                    0 => $"\"steps\": {random.Next(1, 90)}, ",
                    1 => $"\"model\": \"{Models[random.Next(Models.Length)]}\", ",
                    2 => $"\"images\": {random.Next(1, 12)}, ",
                    _ => $"\"seed\": {random.Next(3)}, ",
                };
                return (m.Index + 2, m.Index + 2, property);
            }
            case 6: // make a duplicate: copy one prompt's text over another's
            {
                var words = Regex.Matches(text, "\"prompt\": \"([^\"]*)\"");
                var from = words[random.Next(words.Count)].Groups[1];
                var to = words[random.Next(words.Count)].Groups[1];
                return (to.Index, to.Index + to.Length, from.Value);
            }
            case 7: // a stray character anywhere (often breaks the syntax; often undone by a later edit)
            {
                var at = random.Next(text.Length);
                return (at, at, random.Next(3) switch { 0 => "\"", 1 => ",", _ => "}" });
            }
            case 8: // delete a stray character anywhere
            {
                var stray = Regex.Matches(text, "[\",}]");
                var m = stray[random.Next(stray.Count)];
                return (m.Index, m.Index + 1, "");
            }
            default: // retype a model name
            {
                var names = Regex.Matches(text, "\"model\": \"([^\"]*)\"");
                if (names.Count == 0) return (0, 0, "");
                var m = names[random.Next(names.Count)].Groups[1];
                return (m.Index, m.Index + m.Length, Models[random.Next(Models.Length)]);
            }
        }
    }

    /// <param name="pieceChars">0: the document's text is a string each version; else a <see cref="SourceText"/>
    /// edited in place as the server does, cut into pieces this long (small, so that edits, fixes and the line
    /// index meet piece boundaries).</param>
    [Theory]
    [InlineData(1, true, 0)]
    [InlineData(2, false, 0)]
    [InlineData(3, true, 0)]
    [InlineData(4, false, 64)]
    [InlineData(5, true, 7)]
    public void A_random_editing_session_analyses_exactly_like_full_passes(int seed, bool defaultsFirst, int pieceChars)
    {
        var random = new Random(seed);
        var text = File(random, 40, defaultsFirst);
        var source = pieceChars > 0 ? SourceText.From(text, pieceChars) : null;
        var analysis = Analyzer.Analyze(pieceChars > 0 ? PromptDocument.Parse(source!) : PromptDocument.Parse(text));
        var incremental = 0;
        (int Start, int End, string Insert)? undo = null;
        for (var step = 0; step < 400; step++)
        {
            // A broken file is mended by the next keystroke: undo the edit that broke it.
            var (start, end, insert) = undo ?? RandomEdit(random, text);
            var removed = text[start..end];
            text = text[..start] + insert + text[end..];
            source = source?.Replace(start, end, insert);
            var change = new TextChange(start, end, start + insert.Length);
            var document = source != null ? PromptDocument.Update(analysis.Document, source, change) : PromptDocument.Update(analysis.Document, text, change);
            Assert.Equal(text, document.Text);
            analysis = Analyzer.Analyze(document, null, default, analysis);
            if (document.Edit != null) incremental++;
            undo = document.SyntaxErrors.Count > 0 ? (start, start + insert.Length, removed) : null;
            AssertSame(Analyzer.Analyze(PromptDocument.Parse(text)), analysis, $"seed {seed}, step {step}");
        }
        Assert.True(incremental > 150, $"only {incremental} of 400 edits took the incremental path");
        if (source != null) Assert.True(source.PieceCount > 10, $"{source.PieceCount} pieces");
    }

    [Fact]
    public void Changes_composed_over_unanalysed_versions_give_the_same_document()
    {
        var random = new Random(7);
        var text = File(random, 30, true);
        var analysis = Analyzer.Analyze(PromptDocument.Parse(text));
        var composedIncremental = 0;
        for (var step = 0; step < 150; step++)
        {
            // Keystrokes analysed only at the end of the burst, as one composed change: mostly typing at one
            // place (a cursor that moves on, with backspaces), sometimes edits anywhere.
            TextChange? total = null;
            var typing = random.Next(4) > 0;
            var words = Regex.Matches(text, "\"prompt\": \"([^\"]*)\"");
            var cursor = words[random.Next(words.Count)].Groups[1].Index + 1;
            for (var k = random.Next(2, 6); k > 0; k--)
            {
                var (start, end, insert) = !typing ? RandomEdit(random, text)
                    : random.Next(4) == 0 && cursor > 0 && char.IsLetter(text[cursor - 1]) ? (cursor - 1, cursor, "") : (cursor, cursor, "k");
                var removed = text[start..end];
                var change = new TextChange(start, end, start + insert.Length);
                text = text[..start] + insert + text[end..];
                total = total is { } t ? t.Then(change) : change;
                cursor = start + insert.Length;
                if (PromptDocument.Parse(text).SyntaxErrors.Count > 0)
                {
                    // Typed and taken back within the burst.
                    text = text[..start] + removed + text[(start + insert.Length)..];
                    total = total.Value.Then(new TextChange(start, start + insert.Length, start + removed.Length));
                }
            }
            var document = PromptDocument.Update(analysis.Document, text, total);
            analysis = Analyzer.Analyze(document, null, default, analysis);
            if (document.Edit != null) composedIncremental++;
            AssertSame(Analyzer.Analyze(PromptDocument.Parse(text)), analysis, $"step {step}");
        }
        Assert.True(composedIncremental > 60, $"only {composedIncremental} of 150 bursts took the incremental path");
    }

    [Fact]
    public void A_composed_change_covers_exactly_what_changed()
    {
        var random = new Random(5);
        for (var n = 0; n < 2000; n++)
        {
            var original = new string(Enumerable.Range(0, 30).Select(_ => (char)('a' + random.Next(26))).ToArray());
            var text = original;
            TextChange? total = null;
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                var start = random.Next(text.Length + 1);
                var end = Math.Min(text.Length, start + random.Next(4));
                var insert = new string('#', random.Next(4));
                text = text[..start] + insert + text[end..];
                var change = new TextChange(start, end, start + insert.Length);
                total = total is { } t ? t.Then(change) : change;
            }
            var c = total!.Value;
            // Outside the composed range the texts agree; replacing the range with the new text's gives it back.
            Assert.Equal(text, original[..c.Start] + text[c.Start..c.NewEnd] + original[c.OldEnd..]);
        }
    }

    /// <summary>A file whose every prompt is flagged (too many steps), "defaults" before or after the prompts.</summary>
    private static string AllFlagged(int prompts, bool defaultsFirst)
    {
        var items = string.Join(",\n", Enumerable.Range(0, prompts).Select(i => $"    {{ \"id\": \"p{i}\", \"prompt\": \"a fox {i}\", \"steps\": 150 }}"));
        const string defaults = "\"defaults\": { \"model\": \"sdxl\" }";
        return defaultsFirst ? "{\n  " + defaults + ",\n  \"prompts\": [\n" + items + "\n  ]\n}\n" : "{\n  \"prompts\": [\n" + items + "\n  ],\n  " + defaults + "\n}\n";
    }

    /// <summary>The analysis of <paramref name="text"/>, and the incremental one after typing "red " into prompt 3.</summary>
    private static (DocumentAnalysis First, DocumentAnalysis Second, string Edited) TypeIntoPrompt3(string text)
    {
        var first = Analyzer.Analyze(PromptDocument.Parse(text));
        var at = text.IndexOf("a fox 3", StringComparison.Ordinal) + 2;
        var edited = text.Insert(at, "red ");
        return (first, Analyzer.Analyze(PromptDocument.Update(first.Document, edited, new TextChange(at, at, at + 4)), null, default, first), edited);
    }

    [Fact]
    public void Flagged_prompts_the_edit_did_not_touch_keep_their_findings_moved_and_their_fixes_rebuilt_on_the_new_text()
    {
        // "defaults" after the prompts so that it moves too.
        var (first, second, edited) = TypeIntoPrompt3(AllFlagged(12, defaultsFirst: false));
        var document = second.Document;
        Assert.Equal(3, document.Edit!.PromptIndex);
        // Kept, not recomputed: the same settings and estimate objects, before and after the edit.
        Assert.Same(first.Prompts[2].Settings, second.Prompts[2].Settings);
        Assert.Same(first.Prompts[7].Footprint, second.Prompts[7].Footprint);
        Assert.NotSame(first.Prompts[3].Settings, second.Prompts[3].Settings);
        // The findings of untouched prompts are the very objects found before (moved by an offset, not copied:
        // an edit allocates nothing per finding of an untouched prompt), and are not bound to an old text.
        Assert.NotEmpty(first.Prompts[7].Found);
        Assert.Same(first.Prompts[7].Found, second.Prompts[7].Found);
        Assert.Same(first.Prompts[2].Found, second.Prompts[2].Found);
        Assert.Equal((0, 4), (second.Prompts[2].Placement.Inside, second.Prompts[2].Placement.Outside));
        Assert.Equal((4, 4), (second.Prompts[7].Placement.Inside, second.Prompts[7].Placement.Outside)); // "defaults" is after the prompts: it moves too
        Assert.All(second.Prompts.SelectMany(p => p.Found), f => Assert.False(f.IsBound));
        // Read as found, with the offset, they say what the findings in this version's coordinates say.
        Assert.Equal(second.Findings.Select(f => (f.Code, f.Span, f.Message)), second.FindingsAsFound().Select(f => (f.Found.Code, f.Span, f.Found.Message)));
        // The moved finding points at the new text, and its fix, applied to the new text, fixes that prompt.
        var finding = second.Findings.Single(f => f.PromptIndex == 7 && f.Code == FindingCodes.ExcessSteps);
        Assert.Equal("150", edited[finding.Span.Start..finding.Span.End].Split(':')[^1].Trim());
        var fixedText = TextEdits.Apply(edited, finding.Fixes[0].Edits);
        var again = Analyzer.Analyze(fixedText);
        Assert.DoesNotContain(again.Findings, f => f.PromptIndex == 7 && f.Code == FindingCodes.ExcessSteps);
        Assert.Equal(11, again.Findings.Count(f => f.Code == FindingCodes.ExcessSteps));
        AssertSame(Analyzer.Analyze(PromptDocument.Parse(edited)), second, "all flagged");
    }

    [Fact]
    public void A_prompt_before_the_edit_is_the_same_analysis_in_both_versions_and_binds_its_fixes_to_the_version_asked()
    {
        // "defaults" before the prompts: an edit in prompt 3 moves nothing of prompts 0-2.
        var text = AllFlagged(6, defaultsFirst: true);
        var (first, second, edited) = TypeIntoPrompt3(text);
        // One object for both versions before the edit; after it a new, small one that shares the facts.
        Assert.Same(first.Prompts[1], second.Prompts[1]);
        Assert.NotSame(first.Prompts[4], second.Prompts[4]);
        Assert.Same(first.Prompts[4].Settings, second.Prompts[4].Settings);
        // A shared analysis's fixes are built on the text of the version they are asked of, in each.
        var firstFix = first.FindingsOf(first.Prompts[1]).Single(f => f.Code == FindingCodes.ExcessSteps).Fixes[0];
        var secondFinding = second.FindingsOf(second.Prompts[1]).Single(f => f.Code == FindingCodes.ExcessSteps);
        Assert.Same(second.Document, second.ContextOf(second.Prompts[1])!.Document);
        Assert.Same(first.Document, first.ContextOf(first.Prompts[1])!.Document);
        var fixedText = TextEdits.Apply(edited, secondFinding.Fixes[0].Edits);
        Assert.DoesNotContain(Analyzer.Analyze(fixedText).Findings, f => f.PromptIndex == 1 && f.Code == FindingCodes.ExcessSteps);
        Assert.Contains("red fox 3", fixedText);
        Assert.Equal(TextEdits.Apply(text, firstFix.Edits), TextEdits.Apply(edited, secondFinding.Fixes[0].Edits).Replace("red fox 3", "fox 3"));
        // The lighter alternative is priced once per prompt, whichever version asks first.
        Assert.Equal(second.LightestAlternativeOf(second.Prompts[4])?.Model.Id, first.LightestAlternativeOf(first.Prompts[4])?.Model.Id);
        AssertSame(Analyzer.Analyze(PromptDocument.Parse(edited)), second, "shared");
    }

    [Fact]
    public void An_edit_inside_one_prompt_reparses_only_that_prompt_and_shares_the_rest()
    {
        var text = File(new Random(4), 20, true);
        var before = PromptDocument.Parse(text);
        var target = before.Prompts[5];
        var at = text.IndexOf("\"prompt\"", target.Span.Start, StringComparison.Ordinal) + 11;
        var after = PromptDocument.Update(before, text.Insert(at, "zz"), new TextChange(at, at, at + 2));
        Assert.NotNull(after.Edit);
        Assert.Equal(5, after.Edit!.PromptIndex);
        Assert.Same(before.Prompts[4].Node, after.Prompts[4].Node);
        Assert.Same(before.Prompts[6].Node, after.Prompts[6].Node);
        Assert.NotSame(before.Prompts[5].Node, after.Prompts[5].Node);
        Assert.Equal(before.Prompts[6].Span.Start + 2, after.Prompts[6].Span.Start);
        // A change that touches a prompt's braces, or leaves a syntax error, is a full parse.
        var brace = target.Span.Start;
        Assert.Null(PromptDocument.Update(before, text.Remove(brace, 1), new TextChange(brace, brace + 1, brace)).Edit);
        Assert.Null(PromptDocument.Update(before, text.Insert(at, "\""), new TextChange(at, at, at + 1)).Edit);
    }

    private static void AssertSame(DocumentAnalysis expected, DocumentAnalysis actual, string where)
    {
        Assert.True(Describe(expected) == Describe(actual), $"{where}: incremental analysis differs from a full one\n--- full\n{Describe(expected)}\n--- incremental\n{Describe(actual)}");
    }

    private static string Describe(DocumentAnalysis a)
    {
        var sb = new StringBuilder();
        foreach (var f in a.Findings)
        {
            sb.Append($"{f.Code} {f.Severity} {f.Span} {f.Message} unnecessary={f.Unnecessary} prompt={f.PromptIndex} saving={f.SavingWh}\n");
            foreach (var r in f.Related) sb.Append($"  related {r.Span} {r.Message}\n");
            foreach (var fix in f.Fixes)
                sb.Append($"  fix {fix.Title} {fix.IsPreferred}: {string.Join("; ", fix.Edits.Select(e => $"{e.Span}={e.NewText}"))} -> {TextEdits.Apply(a.Document.Text, fix.Edits).GetHashCode()}\n");
        }
        foreach (var p in a.Prompts)
            sb.Append($"prompt {p.Entry.Index} {p.Entry.Span} {p.Entry.AnchorSpan} {p.Settings.ImageKey} {p.Footprint.EnergyWh} {p.Footprint.Co2eGrams} {p.ModelKnown} {a.LightestAlternativeOf(p)?.Model.Id} {a.LightestAlternativeOf(p)?.SavingFraction}\n");
        sb.Append($"totals {a.Totals}\n");
        return sb.ToString();
    }
}
