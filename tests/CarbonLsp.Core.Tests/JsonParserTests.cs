using CarbonLsp.Core.Json;

namespace CarbonLsp.Core.Tests;

public class JsonParserTests
{
    [Fact]
    public void Parses_comments_and_trailing_commas_without_errors()
    {
        var r = JsonParser.Parse("// head\n{ /* a */ \"a\": [1, 2,], \"b\": {\"c\": true,}, }\n");
        Assert.Empty(r.Errors);
        var root = Assert.IsType<JsonObject>(r.Root);
        Assert.Equal(2, ((JsonArray)root.Get("a")!).Items.Count);
        Assert.Equal(JsonKind.True, ((JsonObject)root.Get("b")!).Get("c")!.Kind);
    }

    [Fact]
    public void Keeps_exact_spans_of_keys_and_values()
    {
        const string text = "{\"steps\": 50}";
        var root = (JsonObject)JsonParser.Parse(text).Root!;
        var p = root.Find("steps")!;
        Assert.Equal("\"steps\"", text[p.KeySpan.Start..p.KeySpan.End]);
        Assert.Equal("50", text[p.Value!.Span.Start..p.Value.Span.End]);
    }

    [Fact]
    public void Unescapes_strings_and_reads_numbers()
    {
        var root = (JsonObject)JsonParser.Parse("{\"s\": \"a\\\"b\\u00e9\\n\", \"n\": -1.5e2, \"i\": 7}").Root!;
        Assert.Equal("a\"bé\n", ((JsonString)root.Get("s")!).Value);
        Assert.Equal(-150, ((JsonNumber)root.Get("n")!).Value);
        Assert.False(((JsonNumber)root.Get("n")!).IsInteger);
        Assert.True(((JsonNumber)root.Get("i")!).IsInteger);
    }

    [Theory]
    [InlineData("{\"a\": 1", "Missing '}'")]
    [InlineData("{\"a\" 1}", "Expected ':'")]
    [InlineData("{\"a\": }", "Expected a value")]
    [InlineData("{\"a\": tru}", "not a JSON value")]
    [InlineData("{\"a\": \"open\n}", "Unterminated string")]
    [InlineData("{a: 1}", "need double quotes")]
    [InlineData("{\"a\": 1 \"b\": 2}", "Expected ',' or '}'")]
    [InlineData("[1 2]", "Expected ',' or ']'")]
    [InlineData("{} {}", "after the end")]
    [InlineData("/* open", "Unterminated block comment")]
    [InlineData("", "empty")]
    public void Reports_errors_and_recovers(string text, string expected)
    {
        var r = JsonParser.Parse(text);
        Assert.Contains(r.Errors, e => e.Message.Contains(expected, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Recovers_the_rest_of_an_object_after_a_bad_value()
    {
        var root = (JsonObject)JsonParser.Parse("{\"a\": @, \"b\": 2}").Root!;
        Assert.Equal(2, ((JsonNumber)root.Get("b")!).Value);
    }

    [Fact]
    public void Survives_deep_nesting_without_recursion_overflow()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);
        var r = JsonParser.Parse(text);
        Assert.Contains(r.Errors, e => e.Message.Contains("Nesting deeper"));
    }

    [Fact]
    public void Skips_a_byte_order_mark()
    {
        var r = JsonParser.Parse("\uFEFF{\"prompts\": []}");
        Assert.Empty(r.Errors);
        Assert.Equal(1, r.Root!.Span.Start);
    }

    [Fact]
    public void Parses_on_the_same_thread_do_not_share_nodes()
    {
        // The parser keeps scratch lists per thread between parses: a second parse must not see the
        // first one's properties or items, even after a truncated (unclosed) document.
        var first = JsonParser.Parse("{ \"a\": [1, 2, { \"b\": [3, 4] }");
        var second = JsonParser.Parse("{ \"c\": [5] }");
        var root = Assert.IsType<JsonObject>(second.Root);
        var c = Assert.Single(root.Properties);
        Assert.Equal("c", c.Name);
        Assert.Single(Assert.IsType<JsonArray>(c.Value).Items);
        var a = Assert.IsType<JsonArray>(Assert.IsType<JsonObject>(first.Root).Find("a")!.Value);
        Assert.Equal(3, a.Items.Count);
    }
}
