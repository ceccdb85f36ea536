using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Spec;

/// <summary>A node together with the document it is in (needed to resolve relative references).</summary>
internal readonly record struct Located(Node Node, ParsedDocument Document);

/// <summary>
/// The documents a build can see (its AdditionalFiles), and <c>$ref</c> resolution across them. The
/// disk is never read: a reference to a file that is not an AdditionalFiles item is reported.
/// </summary>
internal sealed class DocumentSet
{
    private readonly Dictionary<string, ParsedDocument> _byPath = new(StringComparer.OrdinalIgnoreCase);
    private readonly ImmutableArray<ParsedDocument> _all;
    private readonly List<ParsedDocument> _referenced = new();

    public DocumentSet(ImmutableArray<ParsedDocument> documents)
    {
        _all = documents;
        foreach (var document in documents)
        {
            _byPath[NormalizePath(document.Path)] = document;
        }
    }

    /// <summary>
    /// Finds the document an attribute names: relative to the project directory first, then, when the
    /// name is unambiguous, any AdditionalFiles item whose path ends with it.
    /// </summary>
    public ParsedDocument? Find(string projectDirectory, string relativePath, out string? problem)
    {
        problem = null;
        var wanted = NormalizePath(relativePath);
        if (projectDirectory.Length > 0 && _byPath.TryGetValue(NormalizePath(Combine(projectDirectory, relativePath)), out var exact))
        {
            return exact;
        }

        if (_byPath.TryGetValue(wanted, out var absolute))
        {
            return absolute;
        }

        ParsedDocument? match = null;
        var suffix = "/" + wanted.TrimStart('/');
        foreach (var document in _all)
        {
            if (NormalizePath(document.Path).EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                if (match is not null)
                {
                    problem = $"The OpenAPI document '{relativePath}' matches several AdditionalFiles items ('{match.Path}', '{document.Path}'); write its path relative to the project directory";
                    return null;
                }

                match = document;
            }
        }

        problem = match is null
            ? $"The OpenAPI document '{relativePath}' is not an AdditionalFiles item of this project; add <AdditionalFiles Include=\"{relativePath}\" /> to the project file"
            : null;
        return match;
    }

    /// <summary>The other documents that references reached, in the order first reached.</summary>
    public IReadOnlyList<ParsedDocument> Referenced => _referenced;

    /// <summary>Resolves a <c>$ref</c> written in <paramref name="from"/>; on failure returns why.</summary>
    public Located? Resolve(ParsedDocument from, string reference, out string? error)
    {
        error = null;
        var hash = reference.IndexOf('#');
        var file = hash < 0 ? reference : reference.Substring(0, hash);
        var pointer = hash < 0 ? string.Empty : reference.Substring(hash + 1);
        var document = from;
        if (file.Length > 0)
        {
            if (file.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || file.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                error = "remote references are not fetched at build time; add the referenced file to the project as an AdditionalFiles item and reference it by relative path";
                return null;
            }

            var directory = GetDirectory(from.Path);
            if (!_byPath.TryGetValue(NormalizePath(Combine(directory, Uri.UnescapeDataString(file))), out document!))
            {
                error = $"the file '{file}' is not an AdditionalFiles item of this project; add it with <AdditionalFiles Include=\"...\" />";
                return null;
            }
        }

        if (!ReferenceEquals(document, from) && !_referenced.Contains(document))
        {
            _referenced.Add(document);
        }

        if (document.Result.Root is not { } root)
        {
            error = $"the file '{file}' cannot be read";
            return null;
        }

        var node = Walk(root, pointer, out error);
        return node is null ? null : new Located(node, document);
    }

    private static Node? Walk(Node root, string pointer, out string? error)
    {
        error = null;
        if (pointer.Length == 0 || pointer == "/")
        {
            return root;
        }

        if (pointer[0] != '/')
        {
            error = $"'#{pointer}' is not a JSON pointer (it must start with '/')";
            return null;
        }

        var node = root;
        foreach (var raw in pointer.Substring(1).Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            Node? next = null;
            if (node.Kind == NodeKind.Object)
            {
                next = node[segment];
            }
            else if (node.Kind == NodeKind.Array && int.TryParse(segment, out var index) && index >= 0 && index < node.Items.Count)
            {
                next = node.Items[index];
            }

            if (next is null)
            {
                error = $"nothing exists at '{segment}' in '#{pointer}'";
                return null;
            }

            node = next;
        }

        return node;
    }

    public static string NormalizePath(string path)
    {
        var parts = new List<string>();
        var rooted = path.StartsWith("/", StringComparison.Ordinal) || path.StartsWith("\\", StringComparison.Ordinal);
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        var text = new StringBuilder();
        if (rooted)
        {
            text.Append('/');
        }

        text.Append(string.Join("/", parts));
        return text.ToString();
    }

    private static string Combine(string directory, string relative)
    {
        var normalized = relative.Replace('\\', '/');
        if (normalized.StartsWith("/", StringComparison.Ordinal) || (normalized.Length > 1 && normalized[1] == ':'))
        {
            return normalized;
        }

        return directory.TrimEnd('/', '\\') + "/" + normalized;
    }

    private static string GetDirectory(string path)
    {
        var normalized = path.Replace('\\', '/');
        var slash = normalized.LastIndexOf('/');
        return slash < 0 ? string.Empty : normalized.Substring(0, slash);
    }
}
