using System.Collections.Generic;
using System.Linq;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Conduit.Generators.Tests.Incremental;

/// <summary>
/// [RetryPolicy] and [RateLimit] are part of what the attribute step reads: editing other code leaves
/// the model cached, and editing an attribute builds it again with the new value.
/// </summary>
public sealed class PolicyAttributeIncrementalTests
{
    private const string Client = """
        using Conduit;
        namespace App;
        [OpenApiClient("openapi/photoshop.json")]
        [RetryPolicy(Operation = "removeBackground", MaxRetries = 1, Statuses = new[] { 503 }, BaseDelaySeconds = 0.5)]
        [RateLimit(16, Group = "photoshop", HttpMethod = "POST")]
        public partial class PhotoshopClient;
        """;

    private static readonly GeneratorHarness.Document Photoshop = new(GeneratorHarness.ProjectDirectory + "openapi/photoshop.json", GeneratorHarness.ReadFile("openapi/photoshop.json"));

    [Fact]
    public void Editing_unrelated_code_keeps_the_model_of_a_client_with_policy_attributes_cached()
    {
        var compilation = GeneratorHarness.Compilation(Client, "namespace App; public class Unrelated { }");
        var driver = GeneratorHarness.Driver(new[] { Photoshop }).RunGenerators(compilation);

        var result = driver.RunGenerators(Replace(compilation, 1, "namespace App; public class Unrelated { public int Added; }")).GetRunResult().Results.Single();

        Assert.All(Outputs(result, TrackingNames.Clients), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Outputs(result, TrackingNames.Models), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Changing_an_attribute_value_rebuilds_the_model_and_the_generated_policy()
    {
        var compilation = GeneratorHarness.Compilation(Client);
        var driver = GeneratorHarness.Driver(new[] { Photoshop }).RunGenerators(compilation);

        var result = driver.RunGenerators(Replace(compilation, 0, Client.Replace("[RateLimit(16,", "[RateLimit(12,"))).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Outputs(result, TrackingNames.Clients).Single());
        Assert.Equal(IncrementalStepRunReason.Modified, Outputs(result, TrackingNames.Models).Single());
        var core = result.GeneratedSources.Single(s => s.HintName == "App.PhotoshopClient.g.cs").SourceText.ToString();
        Assert.Contains("new(\"photoshop\", \"POST\", global::System.TimeSpan.FromSeconds(3), 15, 16, 12)", core);
        Assert.DoesNotContain(", 15, 16, 16)", core);
    }

    [Fact]
    public void Adding_a_policy_attribute_on_another_part_of_the_class_rebuilds_the_model()
    {
        var compilation = GeneratorHarness.Compilation(Client, "namespace App; public partial class PhotoshopClient { }");
        var driver = GeneratorHarness.Driver(new[] { Photoshop }).RunGenerators(compilation);

        var result = driver.RunGenerators(Replace(compilation, 1, "namespace App; [Conduit.RetryPolicy(MaxRetries = 1)] public partial class PhotoshopClient { }")).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Outputs(result, TrackingNames.Models).Single());
        var core = result.GeneratedSources.Single(s => s.HintName == "App.PhotoshopClient.g.cs").SourceText.ToString();
        Assert.Contains("new int[] { 500, 502, 503, 504 }, 1, ", core);
    }

    private static Compilation Replace(Compilation compilation, int index, string text)
    {
        var tree = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: tree.FilePath));
    }

    private static IEnumerable<IncrementalStepRunReason> Outputs(GeneratorRunResult result, string step)
        => result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);
}
