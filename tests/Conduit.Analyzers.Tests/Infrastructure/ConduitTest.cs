using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Conduit.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Conduit.Analyzers.Tests.Infrastructure;

/// <summary>
/// A code-fix test as a user of the Photoshop client writes code: the real generator runs on
/// openapi/photoshop.json (an AdditionalFiles item), the client is declared in its own file, and the code
/// compiles against .NET 10 with Conduit, Polly and Microsoft.Extensions.Http.Resilience.
/// </summary>
/// <typeparam name="TAnalyzer">The analyzer under test.</typeparam>
/// <typeparam name="TCodeFix">Its code fix (<see cref="EmptyCodeFixProvider"/> for a rule without one).</typeparam>
public sealed class ConduitTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>The file that declares the client, as the quickstart does.</summary>
    public const string ClientFile = "/0/PhotoshopClient.cs";

    public const string ClientDeclaration = """
        using Conduit;

        namespace App;

        [OpenApiClient("openapi/photoshop.json")]
        public partial class PhotoshopClient;

        """;

    /// <summary>The usings a Photoshop integration has.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Net;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using App.PhotoshopModels;
        using Conduit;
        using Conduit.Jobs;
        using Microsoft.Extensions.DependencyInjection;
        using Polly;
        using Polly.Retry;
        using Microsoft.Extensions.Http.Resilience;

        """;

    /// <summary>What a test source that is not top-level statements starts with: <see cref="Usings"/> and the app's namespace.</summary>
    public const string Prelude = Usings + """
        namespace App;


        """;

    private static readonly string Photoshop = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi", "photoshop.json"));

    public ConduitTest()
    {
        ReferenceAssemblies = TestReferences.Assemblies;
        TestState.AdditionalReferences.AddRange(TestReferences.Packages);
        TestState.AdditionalFiles.Add(("/0/openapi/photoshop.json", Photoshop));

        // The generator runs in the workspace, as in the IDE, so code fixes see the generated client too.
        SolutionTransforms.Add((solution, project) => RunsGenerator ? solution : solution.AddAnalyzerReference(project, GeneratorReference.Instance));

        // The generated client is checked by the generator's own tests; here it is only what the user's code calls.
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;

        // Fix All is checked in the document; the test project has one document with diagnostics, so the
        // project and solution scopes would only repeat it.
        CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllInProjectCheck | CodeFixTestBehaviors.SkipFixAllInSolutionCheck;
    }

    /// <summary>
    /// Whether the test itself runs the generator, as Microsoft.CodeAnalysis.Testing does for generators it is
    /// given, rather than the workspace: then the generator's diagnostics are checked too, but code fixes see
    /// only the sources (which is enough for a fix of the generator's own diagnostic at an attribute).
    /// </summary>
    public bool RunsGenerator { get; set; }

    /// <inheritdoc/>
    protected override IEnumerable<Type> GetSourceGenerators() => RunsGenerator ? new[] { typeof(ClientGenerator) } : Array.Empty<Type>();

    /// <summary>
    /// A test of <paramref name="source"/> (written after <see cref="Prelude"/>, or after <see cref="Usings"/> when
    /// it is a program's top-level statements) beside the client's declaration, expecting the diagnostics its
    /// markup shows; with <paramref name="fixedSource"/>, the fix and Fix All too (the same text: no fix offered).
    /// </summary>
    public static ConduitTest<TAnalyzer, TCodeFix> Create(string source, string? fixedSource = null, string client = ClientDeclaration, string? fixedClient = null, bool topLevel = false)
    {
        var test = new ConduitTest<TAnalyzer, TCodeFix>();
        var prelude = topLevel ? Usings : Prelude;
        test.TestState.Sources.Add(("/0/Test0.cs", prelude + source));
        test.TestState.Sources.Add((ClientFile, client));
        if (topLevel)
        {
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
        }

        if (fixedSource is not null || fixedClient is not null)
        {
            test.FixedState.Sources.Add(("/0/Test0.cs", prelude + (fixedSource ?? source)));
            test.FixedState.Sources.Add((ClientFile, fixedClient ?? client));
        }

        return test;
    }

    /// <summary>Runs <see cref="Create"/>'s test.</summary>
    public static Task VerifyAsync(string source, string? fixedSource = null, string client = ClientDeclaration, string? fixedClient = null, bool topLevel = false)
        => Create(source, fixedSource, client, fixedClient, topLevel).RunAsync();
}

/// <summary>The generator as an analyzer reference of the test project, so that the workspace runs it.</summary>
internal sealed class GeneratorReference : AnalyzerReference
{
    public static readonly GeneratorReference Instance = new();

    private readonly ImmutableArray<ISourceGenerator> _generators = ImmutableArray.Create(new ClientGenerator().AsSourceGenerator());

    public override string FullPath => typeof(ClientGenerator).Assembly.Location;

    public override object Id => typeof(ClientGenerator).Assembly.FullName!;

    public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzers(string language) => ImmutableArray<DiagnosticAnalyzer>.Empty;

    public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzersForAllLanguages() => ImmutableArray<DiagnosticAnalyzer>.Empty;

    public override ImmutableArray<ISourceGenerator> GetGenerators(string language) => language == LanguageNames.CSharp ? _generators : ImmutableArray<ISourceGenerator>.Empty;
}

/// <summary>The references test compilations use, shared by every test.</summary>
internal static class TestReferences
{
    /// <summary>No reference-assembly package (none can be downloaded here): <see cref="Packages"/> brings .NET 10's.</summary>
    public static readonly ReferenceAssemblies Assemblies = new("net10.0");

    /// <summary>.NET 10's reference assemblies, then Conduit, Polly and Microsoft.Extensions.* as this test process loads them.</summary>
    public static readonly ImmutableArray<MetadataReference> Packages = Net100.References.All
        .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(path => Path.GetFileName(path) is var name
                && (name == "Conduit.dll" || name.StartsWith("Polly.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || name == "System.Threading.RateLimiting.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)))
        .ToImmutableArray();
}
