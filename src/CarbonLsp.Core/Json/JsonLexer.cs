using System.Globalization;
using System.Text;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Json;

internal enum TokenKind { LeftBrace, RightBrace, LeftBracket, RightBracket, Colon, Comma, String, Number, True, False, Null, Word, Unknown, End }

internal readonly record struct Token(TokenKind Kind, TextSpan Span, string? Text = null, double Number = 0, bool IsInteger = false);

/// <summary>Splits JSON-with-comments text into tokens. Never throws: anything it cannot read becomes
/// an <see cref="TokenKind.Unknown"/> or <see cref="TokenKind.Word"/> token plus a syntax error.</summary>
internal sealed class JsonLexer
{
    private readonly string _text;
    private readonly List<JsonSyntaxError> _errors;
    private int _pos;
    // Short strings (keys, model names, enum values) repeat thousands of times in a big file: one
    // instance each saves most of the parser's allocations.
    // The table lives per thread and outlives one parse: the next parse of the same file (every
    // keystroke) finds its strings there instead of rebuilding a 4,096-entry table. It is bounded.
    [ThreadStatic] private static Dictionary<string, string>? t_interned;
    private readonly Dictionary<string, string> _interned;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _internLookup;
    private const int InternMaxLength = 24;
    private const int InternMaxCount = 4096;

    public JsonLexer(string text, List<JsonSyntaxError> errors)
    {
        _text = text;
        _errors = errors;
        _interned = t_interned ??= new Dictionary<string, string>(StringComparer.Ordinal);
        _internLookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
        // A byte order mark is not part of the document.
        if (_text.Length > 0 && _text[0] == '\uFEFF') _pos = 1;
    }

    public Token Next()
    {
        SkipTrivia();
        if (_pos >= _text.Length) return new Token(TokenKind.End, new TextSpan(_text.Length, _text.Length));
        var start = _pos;
        var c = _text[_pos];
        switch (c)
        {
            case '{': _pos++; return new Token(TokenKind.LeftBrace, new TextSpan(start, _pos));
            case '}': _pos++; return new Token(TokenKind.RightBrace, new TextSpan(start, _pos));
            case '[': _pos++; return new Token(TokenKind.LeftBracket, new TextSpan(start, _pos));
            case ']': _pos++; return new Token(TokenKind.RightBracket, new TextSpan(start, _pos));
            case ':': _pos++; return new Token(TokenKind.Colon, new TextSpan(start, _pos));
            case ',': _pos++; return new Token(TokenKind.Comma, new TextSpan(start, _pos));
            case '"': return ReadString();
        }
        if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
        if (IsWordChar(c))
        {
            while (_pos < _text.Length && IsWordChar(_text[_pos])) _pos++;
            var word = _text.AsSpan(start, _pos - start);
            var span = new TextSpan(start, _pos);
            if (word.SequenceEqual("true")) return new Token(TokenKind.True, span);
            if (word.SequenceEqual("false")) return new Token(TokenKind.False, span);
            if (word.SequenceEqual("null")) return new Token(TokenKind.Null, span);
            return new Token(TokenKind.Word, span, word.ToString());
        }
        // Anything else: one code point (a surrogate pair counts as one).
        _pos += char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]) ? 2 : 1;
        return new Token(TokenKind.Unknown, new TextSpan(start, _pos), _text.Substring(start, _pos - start));
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$' || c == '.' || c == '+';

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\uFEFF' || char.IsWhiteSpace(c)) { _pos++; continue; }
            if (c == '/' && _pos + 1 < _text.Length)
            {
                if (_text[_pos + 1] == '/')
                {
                    _pos += 2;
                    while (_pos < _text.Length && _text[_pos] != '\n' && _text[_pos] != '\r') _pos++;
                    continue;
                }
                if (_text[_pos + 1] == '*')
                {
                    var start = _pos;
                    var close = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        _errors.Add(new JsonSyntaxError("Unterminated block comment: add */.", new TextSpan(start, start + 2)));
                        _pos = _text.Length;
                    }
                    else _pos = close + 2;
                    continue;
                }
            }
            return;
        }
    }

    private Token ReadString()
    {
        var start = _pos++;
        StringBuilder? sb = null;
        var segmentStart = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                var value = sb == null ? Intern(_text.AsSpan(segmentStart, _pos - segmentStart)) : sb.Append(_text, segmentStart, _pos - segmentStart).ToString();
                _pos++;
                return new Token(TokenKind.String, new TextSpan(start, _pos), value);
            }
            if (c == '\n' || c == '\r') break; // strings cannot span lines: stop here and report
            if (c == '\\')
            {
                sb ??= new StringBuilder();
                sb.Append(_text, segmentStart, _pos - segmentStart);
                _pos++;
                if (_pos >= _text.Length) break;
                var e = _text[_pos];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 < _text.Length && int.TryParse(_text.AsSpan(_pos + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            sb.Append((char)code);
                            _pos += 4;
                        }
                        else _errors.Add(new JsonSyntaxError("Invalid \\u escape: expected four hex digits.", new TextSpan(_pos - 1, Math.Min(_text.Length, _pos + 1))));
                        break;
                    default:
                        _errors.Add(new JsonSyntaxError($"Invalid escape '\\{e}'.", new TextSpan(_pos - 1, _pos + 1)));
                        sb.Append(e);
                        break;
                }
                _pos++;
                segmentStart = _pos;
                continue;
            }
            _pos++;
        }
        _errors.Add(new JsonSyntaxError("Unterminated string: add the closing quote.", new TextSpan(start, _pos)));
        var partial = sb == null ? _text.Substring(segmentStart, _pos - segmentStart) : sb.Append(_text, segmentStart, _pos - segmentStart).ToString();
        return new Token(TokenKind.String, new TextSpan(start, _pos), partial);
    }

    private string Intern(ReadOnlySpan<char> span)
    {
        if (span.Length > InternMaxLength) return span.ToString();
        if (_internLookup.TryGetValue(span, out var existing)) return existing;
        var s = span.ToString();
        if (_interned.Count < InternMaxCount) _interned[s] = s;
        return s;
    }

    private Token ReadNumber()
    {
        var start = _pos;
        if (_text[_pos] == '-') _pos++;
        var integer = true;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c >= '0' && c <= '9') { _pos++; continue; }
            if (c == '.' || c == 'e' || c == 'E') { integer = false; _pos++; continue; }
            if ((c == '+' || c == '-') && (_text[_pos - 1] == 'e' || _text[_pos - 1] == 'E')) { _pos++; continue; }
            break;
        }
        // A number glued to letters (12px) is one bad word, not a number and a word.
        if (_pos < _text.Length && IsWordChar(_text[_pos]))
        {
            while (_pos < _text.Length && IsWordChar(_text[_pos])) _pos++;
            return new Token(TokenKind.Word, new TextSpan(start, _pos), _text.Substring(start, _pos - start));
        }
        var raw = _text.AsSpan(start, _pos - start);
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsInfinity(value))
        {
            var isInteger = integer && value is >= long.MinValue and <= long.MaxValue;
            return new Token(TokenKind.Number, new TextSpan(start, _pos), Number: value, IsInteger: isInteger);
        }
        return new Token(TokenKind.Word, new TextSpan(start, _pos), raw.ToString());
    }
}
