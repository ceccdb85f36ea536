using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Conduit.Generators.Spec;

/// <summary>
/// Turns any text from a document (names, paths, enum values) into valid C# identifiers: words split
/// at punctuation and case changes, Pascal or camel cased, keywords escaped, leading digits prefixed,
/// and nothing but letters, digits and underscores kept.
/// </summary>
internal static class Naming
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit",
        "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int",
        "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed",
        "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try",
        "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
        "await", "async", "var", "value", "yield", "record", "file", "required", "scoped", "nameof", "dynamic", "global",
    };

    /// <summary>A PascalCase identifier, never empty, never starting with a digit or two underscores.</summary>
    public static string Pascal(string text) => Build(text, upperFirst: true);

    /// <summary>A camelCase identifier for parameters and locals, keywords escaped with '@'.</summary>
    public static string Camel(string text)
    {
        var name = Build(text, upperFirst: false);
        return Keywords.Contains(name) ? "@" + name : name;
    }

    private static string Build(string text, bool upperFirst)
    {
        var words = SplitWords(text);
        var result = new StringBuilder(text.Length + 4);
        foreach (var word in words)
        {
            var first = result.Length == 0 && !upperFirst
                ? char.ToLowerInvariant(word[0])
                : char.ToUpperInvariant(word[0]);
            result.Append(first);
            for (var i = 1; i < word.Length; i++)
            {
                // Keep the word's own casing after its first letter, but lower an all-caps word
                // ("URL" -> "Url") so acronyms read as words.
                result.Append(IsAllUpper(word) ? char.ToLowerInvariant(word[i]) : word[i]);
            }
        }

        if (result.Length == 0)
        {
            result.Append(upperFirst ? "Value" : "value");
        }

        if (char.IsDigit(result[0]))
        {
            result.Insert(0, text.StartsWith("-", StringComparison.Ordinal) ? (upperFirst ? "Minus" : "minus")
                : text.StartsWith("+", StringComparison.Ordinal) ? (upperFirst ? "Plus" : "plus")
                : upperFirst ? "_" : "_");
        }

        return result.ToString();
    }

    private static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsIdentifierChar(c))
            {
                Flush(words, current);
                continue;
            }

            // A new word starts at lower->upper ("jobId") and at the last upper of a run followed by a
            // lower ("HTTPServer" -> "HTTP", "Server").
            if (current.Length > 0 && char.IsUpper(c))
            {
                var previous = current[current.Length - 1];
                var nextIsLower = i + 1 < text.Length && char.IsLower(text[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    Flush(words, current);
                }
            }

            current.Append(c);
        }

        Flush(words, current);
        return words;
    }

    private static void Flush(List<string> words, StringBuilder current)
    {
        if (current.Length > 0)
        {
            words.Add(current.ToString());
            current.Clear();
        }
    }

    private static bool IsAllUpper(string word)
    {
        var letters = 0;
        foreach (var c in word)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (!char.IsUpper(c))
                {
                    return false;
                }
            }
        }

        return letters > 1;
    }

    /// <summary>Letters and digits of any script; no format, control or punctuation characters.</summary>
    private static bool IsIdentifierChar(char c)
    {
        if (c < 128)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }

        switch (CharUnicodeInfo.GetUnicodeCategory(c))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
                return true;
            default:
                return false;
        }
    }
}

/// <summary>Hands out unique names within one scope, suffixing 2, 3, ... on a collision (ordinal, case-sensitive).</summary>
internal sealed class NameScope
{
    // Reserved names are shared (often a static array), not copied into every scope.
    private readonly string[] _reserved;
    private readonly StringComparer _comparer;
    private readonly HashSet<string> _taken;

    public NameScope(string[]? reserved = null, bool ignoreCase = false)
    {
        _reserved = reserved ?? Array.Empty<string>();
        _comparer = ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        _taken = new HashSet<string>(_comparer);
    }

    /// <summary>Returns <paramref name="name"/>, or the first free <c>name2</c>, <c>name3</c> ...; the result is then taken.</summary>
    public string Claim(string name)
    {
        if (TryTake(name))
        {
            return name;
        }

        for (var i = 2; ; i++)
        {
            var candidate = name + i.ToString(CultureInfo.InvariantCulture);
            if (TryTake(candidate))
            {
                return candidate;
            }
        }
    }

    private bool TryTake(string name)
    {
        foreach (var reserved in _reserved)
        {
            if (_comparer.Equals(reserved, name))
            {
                return false;
            }
        }

        return _taken.Add(name);
    }
}
