using System.Collections.Generic;
using System.Collections.Immutable;

namespace Conduit.Generators.Reading;

/// <summary>
/// Reads JSON text into a <see cref="TokenTable"/>, whose <see cref="Node"/>s are created as they are first
/// visited. Strict JSON, plus these tolerances, each reported as a warning and then read sensibly: raw control
/// characters and line breaks inside strings, // and /* */ comments, trailing commas, duplicate keys (the later
/// wins) and a leading byte order mark (skipped silently). Any other departure from JSON is an error that
/// stops the read. Never throws.
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

    /// <summary>The char a one-letter escape such as \n stands for, or -1.</summary>
    internal static int SimpleEscape(char marker) => marker switch
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

    /// <summary>
    /// Reads the hexadecimal digits of the \u escape at <paramref name="backslash"/>, up to four; returns the offset
    /// after the last one, which is <paramref name="backslash"/> + 6 for a complete escape.
    /// </summary>
    internal static int ReadHexEscape(string text, int backslash, out char value)
    {
        var code = 0;
        var i = backslash + 2;
        for (; i < backslash + 6 && i < text.Length; i++)
        {
            var digit = HexDigitValue(text[i]);
            if (digit < 0)
            {
                break;
            }

            code = (code * 16) + digit;
        }

        value = (char)code;
        return i;
    }

    /// <summary>A recursive-descent parser over the whole text; <see cref="MaxDepth"/> bounds the recursion.</summary>
    private sealed class Parser
    {
        private const char ByteOrderMark = '\uFEFF';

        /// <summary>Longest token quoted in full in a message.</summary>
        private const int MaxQuotedToken = 24;

        private const string ExpectedValue =
            "expected a value. Write an object, array, string in double quotes, number, true, false or null.";

        private readonly string _text;
        private readonly TokenTable _tokens;

        /// <summary>One reusable set per nesting level, for the members of the object being read at that level.</summary>
        private readonly List<MemberSet> _memberSets = new();

        private ImmutableArray<TextProblem>.Builder? _problems;

        /// <summary>Offset of the next char to read.</summary>
        private int _pos;

        public Parser(string text)
        {
            _text = text;
            _tokens = new TokenTable(text);
        }

        public ReadResult ReadDocument()
        {
            if (_text.Length > 0 && _text[0] == ByteOrderMark)
            {
                _pos = 1;
            }

            SkipTrivia();
            var read = _pos == _text.Length
                ? Fail(TextProblem.EmptyDocument(0, _text.Length))
                : ReadValue(depth: 0);
            if (read)
            {
                SkipTrivia();
                if (_pos < _text.Length)
                {
                    read = FailAtToken("the document's root value has ended. Remove it, or wrap all values in one array or object.");
                }
            }

            // The root value is the first token.
            var root = read ? Node.CreateRoot(_tokens) : null;
            return new ReadResult(root, _problems?.ToImmutable() ?? ImmutableArray<TextProblem>.Empty);
        }

        // ---- Values ----

        /// <summary>
        /// Reads the value at <see cref="_pos"/>, which is not trivia nor the end of the text, into tokens; false
        /// after reporting an error.
        /// </summary>
        private bool ReadValue(int depth)
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

        private bool ReadStringValue()
        {
            var start = _pos;
            if (!ReadString(out var hasEscapes))
            {
                return false;
            }

            _tokens.Add(NodeKind.String, start, _pos - start, hasEscapes);
            return true;
        }

        private bool ReadLiteral(string literal, NodeKind kind)
        {
            var start = _pos;
            if (string.CompareOrdinal(_text, start, literal, 0, literal.Length) != 0)
            {
                return FailAtToken(ExpectedValue);
            }

            _pos += literal.Length;
            _tokens.Add(kind, start, literal.Length);
            return true;
        }

        /// <summary>Reads an object or array, whose opening bracket is at <see cref="_pos"/>.</summary>
        private bool ReadContainer(int depth)
        {
            var start = _pos;
            if (depth > MaxDepth)
            {
                return Fail(TextProblem.TooDeep(start, 1));
            }

            var isObject = _text[start] == '{';
            var token = _tokens.Add(isObject ? NodeKind.Object : NodeKind.Array, start, 0);
            var members = isObject ? OpenMemberSet(depth) : null;
            _pos++;
            if (!ReadChildren(start, depth, members))
            {
                return false;
            }

            _pos++; // the closing bracket
            _tokens.Close(token, _pos - start);
            return true;
        }

        /// <summary>The cleared member set for an object at <paramref name="depth"/>.</summary>
        private MemberSet OpenMemberSet(int depth)
        {
            while (_memberSets.Count <= depth)
            {
                _memberSets.Add(new MemberSet(_tokens));
            }

            var members = _memberSets[depth];
            members.Clear();
            return members;
        }

        /// <summary>
        /// Reads the items of the array, or the members of the object (given its <paramref name="members"/>),
        /// opened at <paramref name="start"/>, up to its closing bracket.
        /// </summary>
        private bool ReadChildren(int start, int depth, MemberSet? members)
        {
            var isObject = members is not null;
            var close = isObject ? '}' : ']';
            if (!SkipTriviaWithin(start))
            {
                return false;
            }

            while (_text[_pos] != close)
            {
                var added = members is not null ? ReadMember(start, depth, members) : ReadValue(depth);
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

        /// <summary>Reads one "name": value pair of the object opened at <paramref name="objectStart"/>.</summary>
        private bool ReadMember(int objectStart, int depth, MemberSet members)
        {
            var nameStart = _pos;
            if (_text[nameStart] != '"')
            {
                return FailAtToken("expected a property name in double quotes.");
            }

            if (!ReadString(out var hasEscapes))
            {
                return false;
            }

            var nameLength = _pos - nameStart;
            var nameToken = _tokens.Add(NodeKind.String, nameStart, nameLength, hasEscapes);
            if (!SkipTriviaWithin(objectStart) || !Expect(':', "expected ':' after the property name.")
                || !SkipTriviaWithin(objectStart) || !ReadValue(depth))
            {
                return false;
            }

            var replaced = members.Add(nameToken);
            if (replaced >= 0)
            {
                _tokens.MarkReplaced(replaced);
                Report(TextProblem.DuplicateKey(_tokens.GetString(nameToken), nameStart, nameLength));
            }

            return true;
        }

        private bool Expect(char expected, string expectation)
        {
            if (_text[_pos] != expected)
            {
                return FailAtToken(expectation);
            }

            _pos++;
            return true;
        }

        // ---- Numbers ----

        /// <summary>Reads a number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?.</summary>
        private bool ReadNumber()
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
            _tokens.Add(NodeKind.Number, start, i - start);
            return true;
        }

        /// <summary>Reports the whole run of number chars from <paramref name="start"/> as an invalid number.</summary>
        private bool FailInvalidNumber(int start)
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
        /// Reads the string literal whose opening quote is at <see cref="_pos"/>, checking its escapes but not
        /// decoding them (see <see cref="TokenTable.GetString"/>); false after reporting an error.
        /// </summary>
        private bool ReadString(out bool hasEscapes)
        {
            var open = _pos;
            var i = open + 1;
            hasEscapes = false;
            while (i < _text.Length)
            {
                var c = _text[i];
                if (c == '"')
                {
                    _pos = i + 1;
                    return true;
                }

                if (c == '\\')
                {
                    hasEscapes = true;
                    i = SkipEscape(i);
                    if (i < 0)
                    {
                        return false;
                    }
                }
                else
                {
                    i = c < ' ' ? SkipRawControlCharacter(i) : i + 1;
                }
            }

            return FailUnterminatedString(open);
        }

        /// <summary>Checks the escape sequence at <paramref name="backslash"/>; returns the offset after it, or -1 after reporting an error.</summary>
        private int SkipEscape(int backslash)
        {
            // A backslash that ends the text: step past it, and the caller finds the string unterminated.
            if (backslash + 1 == _text.Length)
            {
                return backslash + 1;
            }

            var marker = _text[backslash + 1];
            if (marker == 'u')
            {
                return SkipUnicodeEscape(backslash);
            }

            if (SimpleEscape(marker) < 0)
            {
                ReportInvalidEscape(backslash, 2, "use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX, or write '\\\\' for a backslash.");
                return -1;
            }

            return backslash + 2;
        }

        private int SkipUnicodeEscape(int backslash)
        {
            var end = ReadHexEscape(_text, backslash, out _);
            if (end < backslash + 6)
            {
                // Include the offending char in the span, unless the text ended.
                var length = end - backslash + (end < _text.Length ? 1 : 0);
                ReportInvalidEscape(backslash, length, "\\u needs exactly four hexadecimal digits, such as \\u00e9.");
                return -1;
            }

            return end;
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

        private bool FailUnterminatedString(int open) => Fail("Unterminated string: add the closing '\"'.", open, 1);

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

        /// <summary>Reports an error and returns false, the value that makes every caller stop.</summary>
        private bool Fail(string message, int start, int length) =>
            Fail(new TextProblem(ProblemSeverity.Error, message, start, length));

        private bool Fail(TextProblem problem)
        {
            Report(problem);
            return false;
        }

        /// <summary>Reports "Unexpected (token): (expectation)" at the token at <see cref="_pos"/>.</summary>
        private bool FailAtToken(string expectation)
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
    /// The names of the members read so far of one object, to find duplicates: a later member replaces an earlier
    /// one with the same name. Names are compared as decoded, without decoding those that have no escapes.
    /// </summary>
    private sealed class MemberSet
    {
        /// <summary>Up to this many members, duplicates are found by a linear scan instead of a dictionary.</summary>
        private const int LinearScanLimit = 8;

        private readonly TokenTable _tokens;
        private readonly int[] _names = new int[LinearScanLimit];
        private readonly Dictionary<int, int> _namesByName;
        private int _count;
        private bool _indexed;

        public MemberSet(TokenTable tokens)
        {
            _tokens = tokens;
            _namesByName = new Dictionary<int, int>(tokens.NameComparer);
        }

        public void Clear()
        {
            _count = 0;
            if (_indexed)
            {
                _namesByName.Clear();
                _indexed = false;
            }
        }

        /// <summary>Adds a member's name token; returns the name token of the earlier member it replaces, or -1.</summary>
        public int Add(int nameToken)
        {
            if (_indexed)
            {
                // The dictionary maps a name to the name token of its current member.
                var found = _namesByName.TryGetValue(nameToken, out var earlier);
                _namesByName[nameToken] = nameToken;
                return found ? earlier : -1;
            }

            for (var i = 0; i < _count; i++)
            {
                if (_tokens.NamesEqual(_names[i], nameToken))
                {
                    var replaced = _names[i];
                    _names[i] = nameToken;
                    return replaced;
                }
            }

            if (_count < LinearScanLimit)
            {
                _names[_count++] = nameToken;
            }
            else
            {
                IndexAll(nameToken);
            }

            return -1;
        }

        private void IndexAll(int nameToken)
        {
            foreach (var name in _names)
            {
                _namesByName.Add(name, name);
            }

            _namesByName.Add(nameToken, nameToken);
            _indexed = true;
        }
    }
}
