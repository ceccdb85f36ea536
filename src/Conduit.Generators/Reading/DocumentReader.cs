namespace Conduit.Generators.Reading;

/// <summary>Reads a document as JSON or YAML, by its file extension or, failing that, by its first char.</summary>
internal static class DocumentReader
{
    private static readonly char[] PathSeparators = { '/', '\\' };
    private static readonly char[] LineBreaks = { '\n', '\r' };

    public static ReadResult Read(string path, string text) =>
        IsJson(path, text) ? JsonTextReader.Read(text) : YamlTextReader.Read(text);

    private static bool IsJson(string path, string text)
    {
        var extension = Extension(path);
        if (extension.Equals(".json", System.StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (extension.Equals(".yaml", System.StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".yml", System.StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var first = FirstSignificantChar(text);
        return first is '{' or '[';
    }

    /// <summary>The extension with its dot, or "". Written out because Path.GetExtension throws on some paths on .NET Framework.</summary>
    private static string Extension(string path)
    {
        var dot = path.LastIndexOf('.');
        var separator = path.LastIndexOfAny(PathSeparators);
        return dot > separator ? path.Substring(dot) : "";
    }

    /// <summary>
    /// The first char that is not a byte order mark, whitespace or a JSON comment (// or /* */); '\0' if none.
    /// A '#' comment is returned as is: only YAML has those.
    /// </summary>
    private static char FirstSignificantChar(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
            }
            else if (c == '/' && next == '/')
            {
                i = EndOfLine(text, i);
            }
            else if (c == '/' && next == '*')
            {
                var close = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 2;
            }
            else
            {
                return c;
            }
        }

        return '\0';
    }

    private static int EndOfLine(string text, int i)
    {
        var end = text.IndexOfAny(LineBreaks, i);
        return end < 0 ? text.Length : end;
    }
}
