using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Conduit.Corpus.Tests;

/// <summary>One real published document: the npm package and version it ships in, its path inside the package, and its digest.</summary>
public sealed record CorpusEntry(string Id, string Package, string Version, string Path, string Sha256, string Subset, string Description)
{
    /// <summary>Whether <c>dotnet test</c> runs it (small packages only), rather than only the full run.</summary>
    public bool InCi => Subset == "ci";

    /// <summary>The document's file extension, which tells the generator JSON from YAML.</summary>
    public string Extension => System.IO.Path.GetExtension(Path);

    public override string ToString() => Id;
}

/// <summary>Reads corpus.json, copied beside the test assembly.</summary>
public static class CorpusManifest
{
    private static readonly Lazy<IReadOnlyList<CorpusEntry>> All = new(Load);

    public static IReadOnlyList<CorpusEntry> Entries => All.Value;

    public static CorpusEntry Get(string id) => Entries.Single(e => e.Id == id);

    private static IReadOnlyList<CorpusEntry> Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "corpus.json")));
        return json.RootElement.GetProperty("documents").EnumerateArray()
            .Select(e => new CorpusEntry(
                e.GetProperty("id").GetString()!,
                e.GetProperty("package").GetString()!,
                e.GetProperty("version").GetString()!,
                e.GetProperty("path").GetString()!,
                e.GetProperty("sha256").GetString()!,
                e.GetProperty("subset").GetString()!,
                e.GetProperty("description").GetString()!))
            .ToList();
    }
}
