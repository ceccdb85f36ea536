using System.Linq;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Tests.Generation;

/// <summary>Our own Photoshop document generates a client that compiles with no warnings on C# 12 / .NET 8.</summary>
public sealed class PhotoshopDocumentTests
{
    private const string Client = """
        using Conduit;

        namespace MyApp;

        [OpenApiClient("openapi/photoshop.json")]
        public partial class PhotoshopClient;
        """;

    [Fact]
    public void Generates_a_client_that_compiles_cleanly()
    {
        var result = GeneratorHarness.Run(Client, ("openapi/photoshop.json", GeneratorHarness.ReadFile("openapi/photoshop.json")));

        Assert.True(result.GeneratorDiagnostics.IsEmpty, result.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var client = result.Output.GetTypeByMetadataName("MyApp.PhotoshopClient")!;
        var methods = client.GetMembers().OfType<IMethodSymbol>().Where(m => m.Name.EndsWith("Async")).ToList();
        Assert.Equal(21, methods.Count);
    }
}
