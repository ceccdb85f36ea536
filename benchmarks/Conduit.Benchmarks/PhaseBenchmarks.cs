using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Conduit.Generators;
using Conduit.Generators.Emit;
using Conduit.Generators.Helpers;
using Conduit.Generators.Model;
using Conduit.Generators.Reading;
using Conduit.Generators.Spec;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Conduit.Benchmarks;

/// <summary>
/// The generator's own phases, one at a time, so a change to one can be measured without the noise of
/// the others: reading the document into its positional tree, building the client model, and writing
/// the C# sources. <see cref="GenerationBenchmarks"/> measures them together with the compiler.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class PhaseBenchmarks
{
    private static readonly ClientTarget Target = new("Bench", "DocClient", "public", "openapi/doc.json", null, null, null, EquatableArray<PolicyOverride>.Empty);

    private string _text = "";
    private ImmutableArray<ParsedDocument> _documents;
    private ClientModel _model = null!;

    [Params("photoshop", "github")]
    public string Document { get; set; } = "photoshop";

    [GlobalSetup]
    public void Setup()
    {
        _text = Documents.Read(Document);
        var file = new GeneratorHarness.Document(GeneratorHarness.ProjectDirectory + "openapi/doc.json", _text);
        _documents = ImmutableArray.Create(ParsedDocument.Read(file, default));
        _model = ClientModelBuilder.Build(Target, _documents, GeneratorHarness.ProjectDirectory, default).Client!;
    }

    [Benchmark]
    public int ReadDocument() => DocumentReader.Read("doc.json", _text).Problems.Length;

    [Benchmark]
    public int BuildModel() => ClientModelBuilder.Build(Target, _documents, GeneratorHarness.ProjectDirectory, default).Client!.Types.Count;

    [Benchmark]
    public int EmitSources() => ClientEmitter.EmitAll(_model).Sum(s => s.Text.Length);
}
