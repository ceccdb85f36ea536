using System.Collections.Immutable;
using System.Text;

namespace Conduit.Generators.Reading;

/// <summary>
/// Reads JSON text into a <see cref="Node"/> DOM. Strict JSON, plus these tolerances, each reported as a warning
/// and then read sensibly: raw control characters and line breaks inside strings, // and /* */ comments,
/// trailing commas, duplicate keys (the later wins) and a leading byte order mark (skipped silently).
/// Any other departure from JSON is an error that stops the read. Never throws.
/// </summary>
internal static class JsonTextReader
{
    public const int MaxDepth = 256;

    public static ReadResult Read(string text) => new Parser(text).ReadDocument();

    /// <summary>The value of a hexadecimal digit, or -1.</summary>
    internal static int HexDigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>A recursive-descent parser over the whole text; <see cref="MaxDepth"/> bounds the recursion.</summary>
    private sealed class Parser
    {
        private const char ByteOrderMark = '\uFEFF';

        /// <summary>Longest token quoted in full in a message.</summary>
        private const int MaxQuotedToken = 24;

        private const string ExpectedValue =
            "expected a value. Write an object, array, string in double quotes, number, true, false or null.";

        private readonly string _text;
        private readonly ChildBufferStack _children = new();
        private readonly StringCache _strings = new();
        private ImmutableArray<TextProblem>.Builder? _problems;
        private StringBuilder? _unescaped;

        /// <summary>Offset of the next char to read.</summary>
        private int _pos;

        public Parser(string text)
        {
            _text = text;
        }

        public ReadResult ReadDocument()
        {
            if (_text.Length > 0 && _text[0] == ByteOrderMark)
            {
                _pos = 1;
            }

            SkipTrivia();
            var root = _pos == _text.Length
                ? Fail(TextProblem.EmptyDocument(0, _text.Length))
                : ReadValue(depth: 0);
            if (root is not null)
            {
                SkipTrivia();
                if (_pos < _text.Length)
                {
                    root = FailAtToken("the document's root value has ended. Remove it, or wrap all values in one array or object.");
                }
            }

            return new ReadResult(root, _problems?.ToImmutable() ?? ImmutableArray<TextProblem>.Empty);
        }

        // ---- Values ----

        /// <summary>Reads the value at <see cref="_pos"/>, which is not trivia nor the end of the text.</summary>
        private Node? ReadValue(int depth)
        {
            var start = _pos;
            switch (_text[start])
            {
                case '{':
                case '[':
                    return ReadContainer(depth + 1);
                case '"':
                    return ReadStringValue();
                case 't':
                    return ReadLiteral("true", NodeKind.Boolean);
                case 'f':
                    return ReadLiteral("false", NodeKind.Boolean);
                case 'n':
                    return ReadLiteral("null", NodeKind.Null);
                case '-':
                case >= '0' and <= '9':
                    return ReadNumber();
                default:
                    return FailAtToken(ExpectedValue);
            }
        }

        private Node? ReadStringValue()
        {
            var start = _pos;
            var value = ReadString();
            return value is null ? null : Node.CreateScalar(NodeKind.String, start, _pos - start, value);
        }

        private Node? ReadLiteral(string literal, NodeKind kind)
        {
            var start = _pos;
            if (string.CompareOrdinal(_text, start, literal, 0, literal.Length) != 0)
            {
                return FailAtToken(ExpectedValue);
            }

            _pos += literal.Length;
            return Node.CreateScalar(kind, start, literal.Length, kind == NodeKind.Null ? null : literal);
        }

        /// <summary>Reads an object or array, whose opening bracket is at <see cref="_pos"/>.</summary>
        private Node? ReadContainer(int depth)
        {
            var start = _pos;
            if (depth > MaxDepth)
            {
                return Fail(TextProblem.TooDeep(start, 1));
            }

            var isObject = _text[start] == '{';
            var children = _children.Open(depth);
            _pos++;
            if (!ReadChildren(start, depth, isObject, children))
            {
                return null;
            }

            _pos++; // the closing bracket
            return isObject
                ? Node.CreateObject(start, _pos - start, children.ToProperties())
                : Node.CreateArray(start, _pos - start, children.ToItems());
        }

        /// <summary>Reads the members or items of the container opened at <paramref name="start"/>, up to its closing bracket.</summary>
        private bool ReadChildren(int start, int depth, bool isObject, ChildBuffer children)
        {
            var close = isObject ? '}' : ']';
            if (!SkipTriviaWithin(start))
            {
                return false;
            }

            while (_text[_pos] != close)
            {
                var added = isObject ? ReadMember(start, depth, children) : ReadItem(depth, children);
                if (!added || !SkipTriviaWithin(start))
                {
                    return false;
                }

                if (_text[_pos] == close)
                {
                    return true;
                }

                if (_text[_pos] != ',')
                {
                    FailAtToken(isObject
                        ? "expected ',' or '}' after an object member. Add the missing comma or brace."
                        : "expected ',' or ']' after an array item. Add the missing comma or bracket.");
                    return false;
                }

                var comma = _pos++;
                if (!SkipTriviaWithin(start))
                {
                    return false;
                }

                // The loop ends here too; a comma right before the bracket is tolerated.
                if (_text[_pos] == close)
                {
                    Warn("Trailing comma: JSON does not allow a comma before '" + close + "'; remove it. Ignored.", comma, 1);
                }
            }

            return true;
        }

        private bool ReadItem(int depth, ChildBuffer children)
        {
            var item = ReadValue(depth);
            if (item is null)
            {
                return false;
            }

            children.AddItem(item);
            return true;
        }

        /// <summary>Reads one "name": value pair of the object opened at <paramref name="objectStart"/>.</summary>
        private bool ReadMember(int objectStart, int depth, ChildBuffer children)
        {
            var nameStart = _pos;
            if (_text[nameStart] != '"')
            {
                FailAtToken("expected a property name in double quotes.");
                return false;
            }

            var name = ReadString();
            if (name is null)
            {
                return false;
            }

            var nameLength = _pos - nameStart;
            if (!SkipTriviaWithin(objectStart) || !Expect(':', "expected ':' after the property name.")
                || !SkipTriviaWithin(objectStart))
            {
                return false;
            }

            var value = ReadValue(depth);
            if (value is null)
            {
                return false;
            }

            if (!children.AddProperty(new Property(name, nameStart, nameLength, value)))
            {
                Report(TextProblem.DuplicateKey(name, nameStart, nameLength));
            }

            return true;
        }

        private bool Expect(char expected, string expectation)
        {
            if (_text[_pos] != expected)
            {
                FailAtToken(expectation);
                return false;
            }

            _pos++;
            return true;
        }

        // ---- Numbers ----

        /// <summary>Reads a number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, keeping its text.</summary>
        private Node? ReadNumber()
        {
            var start = _pos;
            var i = start;
            if (_text[i] == '-')
            {
                i++;
            }

            bool valid;
            if (i < _text.Length && _text[i] == '0')
            {
                i++;
                valid = true;
            }
            else
            {
                valid = SkipDigits(ref i);
            }

            if (valid && i < _text.Length && _text[i] == '.')
            {
                i++;
                valid = SkipDigits(ref i);
            }

            if (valid && i < _text.Length && (_text[i] == 'e' || _text[i] == 'E'))
            {
                i++;
                if (i < _text.Length && (_text[i] == '+' || _text[i] == '-'))
                {
                    i++;
                }

                valid = SkipDigits(ref i);
            }

            // A number directly followed by more number chars ("01", "1.2.3") is one malformed number.
            if (!valid || (i < _text.Length && IsNumberChar(_text[i])))
            {
                return FailInvalidNumber(start);
            }

            _pos = i;
            return Node.CreateScalar(NodeKind.Number, start, i - start, _text.Substring(start, i - start));
        }

        /// <summary>Reports the whole run of number chars from <paramref name="start"/> as an invalid number.</summary>
        private Node? FailInvalidNumber(int start)
        {
            var end = start;
            while (end < _text.Length && IsNumberChar(_text[end]))
            {
                end++;
            }

            return Fail(
                $"Invalid number {Quote(start, end - start)}: write a JSON number such as 12, -3.5 or 1e3 (no leading zeros, '+' signs or bare '.').",
                start,
                end - start);
        }

        /// <summary>Advances past a run of digits; false if there is none.</summary>
        private bool SkipDigits(ref int i)
        {
            var start = i;
            while (i < _text.Length && _text[i] is >= '0' and <= '9')
            {
                i++;
            }

            return i > start;
        }

        private static bool IsNumberChar(char c) => c is >= '0' and <= '9' or '.' or 'e' or 'E' or '+' or '-';

        // ---- Strings ----

        /// <summary>
        /// Reads the string literal whose opening quote is at <see cref="_pos"/> and returns its value, or null
        /// after reporting an error. Strings without escapes are cut straight from the text.
        /// </summary>
        private string? ReadString()
        {
            var open = _pos;
            var i = open + 1;
            while (i < _text.Length)
            {
                var c = _text[i];
                if (c == '"')
                {
                    _pos = i + 1;
                    return _strings.Get(_text, open + 1, i - open - 1);
                }

                if (c == '\\')
                {
                    return ReadEscapedString(open, i);
                }

                i = c < ' ' ? SkipRawControlCharacter(i) : i + 1;
            }

            return FailUnterminatedString(open);
        }

        /// <summary>Continues <see cref="ReadString"/> from the first backslash, building the value in a StringBuilder.</summary>
        private string? ReadEscapedString(int open, int firstEscape)
        {
            var value = _unescaped ??= new StringBuilder();
            value.Clear();
            value.Append(_text, open + 1, firstEscape - open - 1);
            var i = firstEscape;
            while (i < _text.Length)
            {
                var c = _text[i];
                if (c == '"')
                {
                    _pos = i + 1;
                    return value.ToString();
                }

                if (c == '\\')
                {
                    i = AppendEscape(value, i);
                    if (i < 0)
                    {
                        return null;
                    }
                }
                else
                {
                    // Raw control chars (already warned about) and runs of plain chars are copied as they are.
                    var next = c < ' ' ? SkipRawControlCharacter(i) : SkipPlainCharacters(i);
                    value.Append(_text, i, next - i);
                    i = next;
                }
            }

            return FailUnterminatedString(open);
        }

        private int SkipPlainCharacters(int i)
        {
            while (i < _text.Length && _text[i] is not ('"' or '\\') and >= ' ')
            {
                i++;
            }

            return i;
        }

        /// <summary>
        /// Appends the char an escape sequence at <paramref name="backslash"/> stands for; returns the offset after
        /// it, or -1 after reporting an error. Each \u escape appends one UTF-16 unit, so surrogate pairs written
        /// as two escapes combine, and a lone surrogate is kept as it is.
        /// </summary>
        private int AppendEscape(StringBuilder value, int backslash)
        {
            // A backslash that ends the text: step past it, and the caller finds the string unterminated.
            if (backslash + 1 == _text.Length)
            {
                return backslash + 1;
            }

            var marker = _text[backslash + 1];
            if (marker == 'u')
            {
                return AppendUnicodeEscape(value, backslash);
            }

            var escaped = SimpleEscape(marker);
            if (escaped < 0)
            {
                ReportInvalidEscape(backslash, 2, "use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX, or write '\\\\' for a backslash.");
                return -1;
            }

            value.Append((char)escaped);
            return backslash + 2;
        }

        /// <summary>The char a one-letter escape such as \n stands for, or -1.</summary>
        private static int SimpleEscape(char marker) => marker switch
        {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => -1,
        };

        private int AppendUnicodeEscape(StringBuilder value, int backslash)
        {
            var code = 0;
            var i = backslash + 2;
            for (; i < backslash + 6 && i < _text.Length; i++)
            {
                var digit = HexDigitValue(_text[i]);
                if (digit < 0)
                {
                    break;
                }

                code = (code * 16) + digit;
            }

            if (i < backslash + 6)
            {
                // Include the offending char in the span, unless the text ended.
                var length = i - backslash + (i < _text.Length ? 1 : 0);
                ReportInvalidEscape(backslash, length, "\\u needs exactly four hexadecimal digits, such as \\u00e9.");
                return -1;
            }

            value.Append((char)code);
            return i;
        }

        private void ReportInvalidEscape(int start, int length, string advice) =>
            Fail($"Invalid escape {Quote(start, length)}: {advice}", start, length);

        /// <summary>Warns about the raw control char at <paramref name="i"/> (a \r\n pair counts as one); returns the offset after it.</summary>
        private int SkipRawControlCharacter(int i)
        {
            var c = _text[i];
            if (c == '\n' || c == '\r')
            {
                var length = c == '\r' && i + 1 < _text.Length && _text[i + 1] == '\n' ? 2 : 1;
                Warn("String contains a raw line break; JSON requires \\n. Read as a line break.", i, length);
                return i + length;
            }

            var escape = c == '\t' ? "\\t" : $"\\u{(int)c:x4}";
            Warn($"String contains a raw control character U+{(int)c:X4}; JSON requires {escape}. Read as is.", i, 1);
            return i + 1;
        }

        private string? FailUnterminatedString(int open)
        {
            Fail("Unterminated string: add the closing '\"'.", open, 1);
            return null;
        }

        // ---- Trivia: whitespace and comments ----

        private void SkipTrivia()
        {
            var text = _text;
            var i = _pos;
            while (i < text.Length)
            {
                var c = text[i];
                if (c is ' ' or '\n' or '\r' or '\t')
                {
                    i++;
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*')
                {
                    i = text[i + 1] == '/' ? SkipLineComment(i) : SkipBlockComment(i);
                }
                else
                {
                    break;
                }
            }

            _pos = i;
        }

        /// <summary>Skips trivia inside the container opened at <paramref name="containerStart"/>; false (after an error) at the end of the text.</summary>
        private bool SkipTriviaWithin(int containerStart)
        {
            SkipTrivia();
            if (_pos < _text.Length)
            {
                return true;
            }

            var message = _text[containerStart] == '{'
                ? "Unterminated object: add the closing '}'."
                : "Unterminated array: add the closing ']'.";
            Fail(message, containerStart, 1);
            return false;
        }

        private int SkipLineComment(int start)
        {
            var end = start + 2;
            while (end < _text.Length && _text[end] is not ('\n' or '\r'))
            {
                end++;
            }

            Warn("Comment: JSON does not allow comments; remove it. Ignored.", start, end - start);
            return end;
        }

        private int SkipBlockComment(int start)
        {
            var close = _text.IndexOf("*/", start + 2, System.StringComparison.Ordinal);
            if (close < 0)
            {
                Warn("Unterminated comment: add the closing '*/'. Read as a comment to the end of the document.", start, _text.Length - start);
                return _text.Length;
            }

            Warn("Comment: JSON does not allow comments; remove it. Ignored.", start, close + 2 - start);
            return close + 2;
        }

        // ---- Problems ----

        private void Report(TextProblem problem) =>
            (_problems ??= ImmutableArray.CreateBuilder<TextProblem>()).Add(problem);

        private void Warn(string message, int start, int length) =>
            Report(new TextProblem(ProblemSeverity.Warning, message, start, length));

        /// <summary>Reports an error and returns null, the value that makes every caller stop.</summary>
        private Node? Fail(string message, int start, int length) =>
            Fail(new TextProblem(ProblemSeverity.Error, message, start, length));

        private Node? Fail(TextProblem problem)
        {
            Report(problem);
            return null;
        }

        /// <summary>Reports "Unexpected (token): (expectation)" at the token at <see cref="_pos"/>.</summary>
        private Node? FailAtToken(string expectation)
        {
            var length = TokenLength(_pos);
            return Fail($"Unexpected {Quote(_pos, length)}: {expectation}", _pos, length);
        }

        /// <summary>A word (letters, digits, '_') is one token, so "tru" is reported whole; any other char stands alone.</summary>
        private int TokenLength(int start)
        {
            var end = start;
            while (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_'))
            {
                end++;
            }

            return end > start ? end - start : 1;
        }

        /// <summary>Quotes source text for a message; control chars become U+XXXX and long text is cut.</summary>
        private string Quote(int start, int length)
        {
            if (length == 1 && _text[start] < ' ')
            {
                return $"U+{(int)_text[start]:X4}";
            }

            return length <= MaxQuotedToken
                ? "'" + _text.Substring(start, length) + "'"
                : "'" + _text.Substring(start, MaxQuotedToken) + "...'";
        }
    }

    /// <summary>
    /// Shares the string instances of short, repeated strings ("type", "description", "string"): a direct-mapped
    /// cache keyed by a hash of the chars, where a collision simply replaces the entry.
    /// </summary>
    private sealed class StringCache
    {
        private const int MaxLength = 32;
        private const int Size = 2048; // a power of two, so the hash is masked into a slot

        private readonly string?[] _entries = new string?[Size];

        public string Get(string text, int start, int length)
        {
            if (length > MaxLength)
            {
                return text.Substring(start, length);
            }

            var hash = length;
            for (var i = start; i < start + length; i++)
            {
                hash = (hash * 31) + text[i];
            }

            ref var entry = ref _entries[hash & (Size - 1)];
            if (entry is null || entry.Length != length || string.CompareOrdinal(entry, 0, text, start, length) != 0)
            {
                entry = text.Substring(start, length);
            }

            return entry;
        }
    }
}
