using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Conduit.Benchmarks;

/// <summary>
/// Generation cost against the floor of merely parsing the same JSON. Generate runs a fresh driver
/// over a prepared compilation, so every invocation reads the document, builds the model, emits the
/// sources and has the compiler parse them (the part of a build the generator is answerable for).
/// Each runs under two collectors, in the same run: the workstation collector (BenchmarkDotNet's default)
/// and the server collector, which is what the generator runs under in a build (the SDK's
/// <c>csc.runtimeconfig.json</c> and <c>VBCSCompiler.runtimeconfig.json</c> set <c>System.GC.Server</c>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Collectors))]
public class GenerationBenchmarks
{
    private const string Source = """
        using Conduit;
        namespace Bench;
        [OpenApiClient("openapi/doc.json")] public partial class DocClient;
        """;

    private string _text = "";
    private CSharpCompilation _compilation = null!;
    private AdditionalText[] _documents = [];
    private (string HintName, string Text)[] _sources = [];

    [Params("photoshop", "github")]
    public string Document { get; set; } = "photoshop";

    /// <summary>
    /// How the compiler treats documentation comments while parsing what we emit: <c>None</c> is a
    /// plain <c>dotnet build</c>; <c>Diagnose</c> is a project with <c>GenerateDocumentationFile</c>.
    /// </summary>
    [Params(DocumentationMode.None, DocumentationMode.Diagnose)]
    public DocumentationMode Docs { get; set; } = DocumentationMode.None;

    private CSharpParseOptions _parseOptions = GeneratorHarness.ParseOptions;

    [GlobalSetup]
    public void Setup()
    {
        _text = Documents.Read(Document);
        _parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(Docs);
        _compilation = GeneratorHarness.Compilation(_parseOptions, Source);
        _documents = [new GeneratorHarness.Document(GeneratorHarness.ProjectDirectory + "openapi/doc.json", _text)];
        Run(out var output, out _);
        _sources = output.SyntaxTrees.Skip(1).Select(t => (Path.GetFileName(t.FilePath), t.GetText().ToString())).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int ParseOnly()
    {
        using var document = JsonDocument.Parse(_text);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark]
    public int Generate() => Run(out _, out _);

    /// <summary>
    /// The compiler's share alone: a generator that only adds the sources Conduit wrote for this document
    /// (computed once, in setup), and the parse of them. Generate minus this is Conduit's own cost.
    /// </summary>
    [Benchmark]
    public int CompilerIntake()
    {
        GeneratorHarness.Driver(_documents, trackSteps: false, parseOptions: _parseOptions, generator: new Replay(_sources))
            .RunGeneratorsAndUpdateCompilation(_compilation, out var output, out _);
        return output.SyntaxTrees.Sum(t => t.GetRoot().FullSpan.Length);
    }

    /// <summary>One full generator run; returns the length of all syntax trees, generated ones included.</summary>
    public int Run(out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        GeneratorHarness.Driver(_documents, trackSteps: false, parseOptions: _parseOptions).RunGeneratorsAndUpdateCompilation(_compilation, out output, out generatorDiagnostics);
        return output.SyntaxTrees.Sum(t => t.GetRoot().FullSpan.Length);
    }

    /// <summary>The shortened job (2 warm-ups, 5 iterations) once per collector; ratios are taken within each.</summary>
    private sealed class Collectors : ManualConfig
    {
        public Collectors()
        {
            var job = Job.Default.WithWarmupCount(2).WithIterationCount(5);
            AddJob(job.WithGcServer(false).WithId("Workstation"));
            AddJob(job.WithGcServer(true).WithId("ServerGC"));
        }
    }

    /// <summary>Adds precomputed sources, and does nothing else.</summary>
    private sealed class Replay((string HintName, string Text)[] sources) : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context) => context.RegisterPostInitializationOutput(output =>
        {
            foreach (var (hintName, text) in sources)
            {
                output.AddSource(hintName, SourceText.From(text, Encoding.UTF8));
            }
        });
    }
}
