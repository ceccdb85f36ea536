using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Basic.Reference.Assemblies;
using Conduit.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Conduit.Generators.Tests.Infrastructure;

/// <summary>
/// Runs the generator the way the compiler does (shared with benchmarks/Conduit.Benchmarks, which links this file): a C# 12 compilation against .NET 8's reference
/// assemblies and the Conduit runtime, documents as AdditionalFiles under a project directory, and
/// the build property the SDK passes. Then compiles what it generated.
/// </summary>
internal static class GeneratorHarness
{
    public const string ProjectDirectory = "/project/";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    /// <summary>.NET 8 reference assemblies, the Conduit runtime and the assemblies it exposes (their net8.0 builds).</summary>
    public static readonly ImmutableArray<MetadataReference> References = Net80.References.All
        .Concat(new[]
        {
            typeof(Conduit.OpenApiClientAttribute),
            typeof(Microsoft.Extensions.DependencyInjection.IHttpClientBuilder),
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection),
        }.Select(t => (MetadataReference)MetadataReference.CreateFromFile(Net80Build(t.Assembly))))
        .ToImmutableArray();

    /// <summary>
    /// The net8.0 build of a package's assembly: a net10.0 test process loads the packages' net10.0 builds,
    /// which reference System.Runtime 10 and cannot be used against .NET 8 reference assemblies.
    /// </summary>
    private static string Net80Build(Assembly assembly)
    {
        var root = typeof(GeneratorHarness).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value;
        if (root is null)
        {
            return assembly.Location;
        }

        var name = assembly.GetName().Name!;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        var candidate = Path.Combine(root, name.ToLowerInvariant(), version ?? string.Empty, "lib", "net8.0", name + ".dll");
        return File.Exists(candidate) ? candidate : assembly.Location;
    }

    public static CSharpCompilation Compilation(params string[] sources) => Compilation(ParseOptions, sources);

    public static CSharpCompilation Compilation(CSharpParseOptions parseOptions, params string[] sources) => CSharpCompilation.Create(
        "Consumer",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"{ProjectDirectory}Source{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)

            // As the .NET SDK does by default (NoWarn 1701;1702): assembly-version unification is not a problem of the code.
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> documents, string projectDirectory = ProjectDirectory, bool trackSteps = true, CSharpParseOptions? parseOptions = null, IIncrementalGenerator? generator = null) => CSharpGeneratorDriver.Create(
        new[] { (generator ?? new ClientGenerator()).AsSourceGenerator() },
        documents,
        parseOptions ?? ParseOptions,
        new BuildOptions(projectDirectory),
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Generates for <paramref name="source"/> with the documents, and compiles the result.</summary>
    public static GenerationResult Run(string source, params (string Path, string Text)[] documents)
    {
        var compilation = Compilation(source);
        var driver = Driver(documents.Select(d => (AdditionalText)new Document(ProjectDirectory + d.Path, d.Text)));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GenerationResult(driver.GetRunResult(), output, generatorDiagnostics);
    }

    /// <summary>Reads a document shipped with the tests (the corpus or the repository's openapi/ folder).</summary>
    public static string ReadFile(string relativePath) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath));

    public sealed class Document(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class BuildOptions(string projectDirectory) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(new Dictionary<string, string> { ["build_property.projectdir"] = projectDirectory });

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}

/// <summary>What one generator run produced: sources, its diagnostics, and the compiled result's diagnostics.</summary>
internal sealed record GenerationResult(GeneratorDriverRunResult Run, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public ImmutableArray<GeneratedSourceResult> Sources => Run.Results.Single().GeneratedSources;

    /// <summary>Errors and warnings of the compilation that includes the generated code.</summary>
    public ImmutableArray<Diagnostic> CompileProblems => Output.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .ToImmutableArray();

    public string Source(string hintNameSuffix) => Sources.Single(s => s.HintName.EndsWith(hintNameSuffix, StringComparison.Ordinal)).SourceText.ToString();

    public string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join(Environment.NewLine, diagnostics.Take(30).Select(d => d.ToString()));
}
