using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// Generated sources compared byte for byte with the snapshots kept beside the tests
/// (tests/Conduit.Generators.Tests/Snapshots/&lt;client&gt;/), through Microsoft.CodeAnalysis.Testing.
/// After an intended change to the output, refresh them with <c>CONDUIT_UPDATE_SNAPSHOTS=1 dotnet test</c>
/// and review the diff.
/// </summary>
public sealed class SnapshotTests
{
    private static readonly ReferenceAssemblies NoFramework = new("net8.0");

    [Theory]
    [InlineData("features.yaml", "FeaturesClient", "CND2002")]
    [InlineData("petstore-swagger2.json", "PetsClient", "CND2004")]
    public async Task Generated_sources_match_the_snapshots(string document, string className, string knownDiagnostic)
    {
        var source = $"using Conduit;\nnamespace Corpus;\n[OpenApiClient(\"Corpus/{document}\")]\npublic partial class {className};\n";
        var text = GeneratorHarness.ReadFile("Corpus/" + document);
        var snapshots = Path.Combine(TestsDirectory(), "Snapshots", className);
        if (Environment.GetEnvironmentVariable("CONDUIT_UPDATE_SNAPSHOTS") == "1")
        {
            WriteSnapshots(snapshots, GeneratorHarness.Run(source, ("Corpus/" + document, text)));
        }

        Assert.True(Directory.Exists(snapshots), $"No snapshots at {snapshots}; run the tests once with CONDUIT_UPDATE_SNAPSHOTS=1.");
        var test = new CSharpSourceGeneratorTest<ClientGenerator, DefaultVerifier>
        {
            ReferenceAssemblies = NoFramework,
            TestState =
            {
                Sources = { (GeneratorHarness.ProjectDirectory + "Client.cs", source) },
                AdditionalFiles = { (GeneratorHarness.ProjectDirectory + "Corpus/" + document, text) },
                AnalyzerConfigFiles = { ("/.globalconfig", $"is_global = true\nbuild_property.projectdir = {GeneratorHarness.ProjectDirectory}\n") },
            },
            DisabledDiagnostics = { knownDiagnostic },
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        foreach (var file in Directory.GetFiles(snapshots).OrderBy(f => f, StringComparer.Ordinal))
        {
            test.TestState.GeneratedSources.Add((typeof(ClientGenerator), Path.GetFileName(file), SourceText.From(File.ReadAllText(file), Encoding.UTF8)));
        }

        await test.RunAsync();
    }

    private static void WriteSnapshots(string directory, GenerationResult result)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        foreach (var generated in result.Sources)
        {
            File.WriteAllText(Path.Combine(directory, generated.HintName), generated.SourceText.ToString());
        }
    }

    private static string TestsDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
