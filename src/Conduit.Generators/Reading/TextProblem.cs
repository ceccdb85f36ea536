namespace Conduit.Generators.Reading;

internal enum ProblemSeverity
{
    Warning,
    Error,
}

/// <summary>
/// Something wrong with a document's text, at a span of chars. The message says what is wrong and what to
/// do about it; it never includes the position, which the caller reports separately (see <see cref="LineMap"/>).
/// </summary>
internal readonly record struct TextProblem(ProblemSeverity Severity, string Message, int Start, int Length)
{
    // Problems both readers report, so JSON and YAML documents get the same wording.

    public static TextProblem EmptyDocument(int start, int length) =>
        new(ProblemSeverity.Error, "The document is empty: write an OpenAPI object such as {\"openapi\": \"3.1.0\", ...}.", start, length);

    public static TextProblem TooDeep(int start, int length) =>
        new(ProblemSeverity.Error, $"Nesting deeper than {JsonTextReader.MaxDepth} levels is not supported: flatten the document or move parts into components.", start, length);

    public static TextProblem DuplicateKey(string name, int start, int length) =>
        new(ProblemSeverity.Warning, $"Duplicate key '{name}': the later value is used.", start, length);
}
