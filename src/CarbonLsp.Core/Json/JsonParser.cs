using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Json;

/// <summary>The result of parsing: a root (null only for empty text) and every syntax error found.</summary>
public sealed record JsonParseResult(JsonNode? Root, IReadOnlyList<JsonSyntaxError> Errors);

/// <summary>
/// A recovering parser for JSON with comments and trailing commas. Hand-written because the JSON
/// libraries we use (Newtonsoft, System.Text.Json) stop at the first error and do not keep the
/// spans of keys and values; a language server needs both to keep serving while the user types.
/// It never throws and never recurses deeper than <see cref="MaxDepth"/>.
/// </summary>
public sealed class JsonParser
{
    public const int MaxDepth = 256;

    private readonly string _text;
    private readonly JsonLexer _lexer;
    private readonly List<JsonSyntaxError> _errors = new();
    private Token _token;
    private int _depth;
    // One scratch list per nesting level; each object or array is copied out once, exactly sized.
    // Kept per thread between parses so a big array's list grows once, not on every keystroke.
    [ThreadStatic] private static List<List<JsonProperty>>? t_propertyScratch;
    [ThreadStatic] private static List<List<JsonNode>>? t_itemScratch;
    private readonly List<List<JsonProperty>> _propertyScratch = t_propertyScratch ??= new();
    private readonly List<List<JsonNode>> _itemScratch = t_itemScratch ??= new();

    private JsonParser(string text)
    {
        _text = text;
        _lexer = new JsonLexer(text, _errors);
        // Normally empty already; a parse cut short (e.g. by a thread abort) must not leak into the next.
        foreach (var list in _propertyScratch) list.Clear();
        foreach (var list in _itemScratch) list.Clear();
        _token = _lexer.Next();
    }

    public static JsonParseResult Parse(string text)
    {
        var parser = new JsonParser(text ?? string.Empty);
        return parser.ParseDocument();
    }

    private JsonParseResult ParseDocument()
    {
        if (_token.Kind == TokenKind.End)
        {
            _errors.Add(new JsonSyntaxError("The file is empty: expected an object with a \"prompts\" array.", new TextSpan(0, 0)));
            return new JsonParseResult(null, _errors);
        }
        var root = ParseValue();
        if (_token.Kind != TokenKind.End)
        {
            var extraStart = _token.Span.Start;
            _errors.Add(new JsonSyntaxError("Unexpected text after the end of the document.", new TextSpan(extraStart, _text.Length)));
        }
        return new JsonParseResult(root, _errors);
    }

    private void Advance() => _token = _lexer.Next();

    private void Error(string message, TextSpan span) => _errors.Add(new JsonSyntaxError(message, span));

    private JsonNode ParseValue()
    {
        var t = _token;
        switch (t.Kind)
        {
            case TokenKind.LeftBrace: return ParseObject();
            case TokenKind.LeftBracket: return ParseArray();
            case TokenKind.String: Advance(); return new JsonString(t.Span, t.Text!);
            case TokenKind.Number: Advance(); return new JsonNumber(t.Span, t.Number, t.IsInteger);
            case TokenKind.True: Advance(); return new JsonLiteral(JsonKind.True, t.Span);
            case TokenKind.False: Advance(); return new JsonLiteral(JsonKind.False, t.Span);
            case TokenKind.Null: Advance(); return new JsonLiteral(JsonKind.Null, t.Span);
            case TokenKind.Word:
                Error($"'{Shorten(t.Text!)}' is not a JSON value: strings need double quotes.", t.Span);
                Advance();
                return new JsonInvalid(t.Span, t.Text!);
            case TokenKind.Unknown:
                Error($"Unexpected character '{t.Text}'.", t.Span);
                Advance();
                return new JsonInvalid(t.Span, t.Text!);
            case TokenKind.Colon:
                Error("Unexpected ':': expected a value.", t.Span);
                Advance(); // always consume, so no caller can loop on it
                return new JsonInvalid(t.Span, ":");
            default:
                Error("Expected a value.", t.Span);
                return new JsonInvalid(new TextSpan(t.Span.Start, t.Span.Start), string.Empty);
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private bool EnterNested(TokenKind open, out JsonNode? skipped)
    {
        skipped = null;
        if (_depth < MaxDepth) { _depth++; return true; }
        // Too deep: skip the whole bracketed region without recursion.
        var start = _token.Span.Start;
        var level = 0;
        do
        {
            if (_token.Kind is TokenKind.LeftBrace or TokenKind.LeftBracket) level++;
            else if (_token.Kind is TokenKind.RightBrace or TokenKind.RightBracket) level--;
            Advance();
        } while (level > 0 && _token.Kind != TokenKind.End);
        var span = TextSpan.FromBounds(start, _token.Kind == TokenKind.End ? _text.Length : _token.Span.Start);
        Error($"Nesting deeper than {MaxDepth} levels is not supported.", new TextSpan(start, start + 1));
        skipped = new JsonInvalid(span, string.Empty);
        return false;
    }

    private JsonNode ParseObject()
    {
        if (!EnterNested(TokenKind.LeftBrace, out var skipped)) return skipped!;
        var start = _token.Span.Start;
        var obj = new JsonObject(new TextSpan(start, start + 1));
        var properties = Scratch(_propertyScratch);
        Advance();
        var lastEnd = start + 1;
        while (true)
        {
            if (_token.Kind == TokenKind.RightBrace)
            {
                obj.Closed = true;
                lastEnd = _token.Span.End;
                Advance();
                break;
            }
            if (_token.Kind is TokenKind.End or TokenKind.RightBracket)
            {
                Error("Missing '}' to close this object.", new TextSpan(start, start + 1));
                break;
            }
            string keyName;
            var keySpan = _token.Span;
            if (_token.Kind == TokenKind.String)
            {
                keyName = _token.Text!;
                Advance();
            }
            else if (_token.Kind is TokenKind.Word or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.Number)
            {
                keyName = _text.Substring(_token.Span.Start, _token.Span.Length);
                Error($"Property names need double quotes: \"{Shorten(keyName)}\".", _token.Span);
                Advance();
            }
            else
            {
                Error(_token.Kind == TokenKind.Comma ? "Unexpected ',': expected a property name." : "Expected a property name in double quotes.", _token.Span);
                SkipTo(TokenKind.Comma, TokenKind.RightBrace);
                if (_token.Kind == TokenKind.Comma) Advance();
                continue;
            }
            var property = new JsonProperty(keyName, keySpan, obj);
            properties.Add(property);
            lastEnd = keySpan.End;
            if (_token.Kind == TokenKind.Colon) Advance();
            else
            {
                Error($"Expected ':' after \"{Shorten(keyName)}\".", new TextSpan(keySpan.End, keySpan.End));
                if (_token.Kind is TokenKind.Comma or TokenKind.RightBrace or TokenKind.End || StartsOnNewLine(keySpan.End))
                {
                    if (_token.Kind == TokenKind.Comma) Advance();
                    continue;
                }
            }
            if (_token.Kind is TokenKind.Comma or TokenKind.RightBrace or TokenKind.End)
            {
                Error($"Expected a value for \"{Shorten(keyName)}\".", new TextSpan(lastEnd, lastEnd));
            }
            else
            {
                var value = ParseValue();
                value.Parent = obj;
                property.Value = value;
                lastEnd = value.Span.End;
            }
            if (_token.Kind == TokenKind.Comma) { Advance(); continue; }
            if (_token.Kind is TokenKind.RightBrace or TokenKind.End or TokenKind.RightBracket) continue;
            // Two properties with no comma between them: report and carry on as if it were there.
            Error("Expected ',' or '}'.", new TextSpan(lastEnd, lastEnd));
            if (_token.Kind is not (TokenKind.String or TokenKind.Word))
            {
                SkipTo(TokenKind.Comma, TokenKind.RightBrace);
                if (_token.Kind == TokenKind.Comma) Advance();
            }
        }
        obj.Span = TextSpan.FromBounds(start, lastEnd);
        obj.SetProperties(properties.Count == 0 ? Array.Empty<JsonProperty>() : properties.ToArray());
        properties.Clear();
        _depth--;
        return obj;
    }

    /// <summary>The scratch list for the current depth (EnterNested has already counted this level).</summary>
    private List<T> Scratch<T>(List<List<T>> pool)
    {
        while (pool.Count < _depth) pool.Add(new List<T>());
        return pool[_depth - 1];
    }

    private bool StartsOnNewLine(int after)
    {
        for (var i = after; i < _token.Span.Start && i < _text.Length; i++)
            if (_text[i] == '\n' || _text[i] == '\r') return true;
        return false;
    }

    private JsonNode ParseArray()
    {
        if (!EnterNested(TokenKind.LeftBracket, out var skipped)) return skipped!;
        var start = _token.Span.Start;
        var array = new JsonArray(new TextSpan(start, start + 1));
        var items = Scratch(_itemScratch);
        Advance();
        var lastEnd = start + 1;
        while (true)
        {
            if (_token.Kind == TokenKind.RightBracket)
            {
                array.Closed = true;
                lastEnd = _token.Span.End;
                Advance();
                break;
            }
            if (_token.Kind is TokenKind.End or TokenKind.RightBrace)
            {
                Error("Missing ']' to close this array.", new TextSpan(start, start + 1));
                break;
            }
            if (_token.Kind == TokenKind.Comma)
            {
                Error("Unexpected ',': expected a value.", _token.Span);
                Advance();
                continue;
            }
            var item = ParseValue();
            item.Parent = array;
            items.Add(item);
            lastEnd = item.Span.End;
            if (_token.Kind == TokenKind.Comma) { Advance(); continue; }
            if (_token.Kind is TokenKind.RightBracket or TokenKind.End or TokenKind.RightBrace) continue;
            Error("Expected ',' or ']'.", new TextSpan(lastEnd, lastEnd));
        }
        array.Span = TextSpan.FromBounds(start, lastEnd);
        array.SetItems(items.Count == 0 ? Array.Empty<JsonNode>() : items.ToArray());
        items.Clear();
        _depth--;
        return array;
    }

    private void SkipTo(TokenKind a, TokenKind b)
    {
        var level = 0;
        while (_token.Kind != TokenKind.End)
        {
            if (level == 0 && (_token.Kind == a || _token.Kind == b)) return;
            if (_token.Kind is TokenKind.LeftBrace or TokenKind.LeftBracket) level++;
            else if (_token.Kind is TokenKind.RightBrace or TokenKind.RightBracket)
            {
                if (level == 0) return;
                level--;
            }
            Advance();
        }
    }
}
