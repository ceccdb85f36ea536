using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Conduit.Generators.Model;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Conduit.Generators.Tests.Incremental;

/// <summary>
/// The generator does no work it need not do: editing unrelated code re-runs nothing past the
/// attribute step, and editing one document re-parses that document only.
/// </summary>
public sealed class IncrementalTests
{
    private const string Client = """
        using Conduit;
        namespace App;
        [OpenApiClient("openapi/photoshop.json")]
        public partial class PhotoshopClient;
        """;

    private static readonly GeneratorHarness.Document Photoshop = new(GeneratorHarness.ProjectDirectory + "openapi/photoshop.json", GeneratorHarness.ReadFile("openapi/photoshop.json"));
    private static readonly GeneratorHarness.Document Other = new(GeneratorHarness.ProjectDirectory + "openapi/other.yaml", "openapi: 3.0.0\ninfo: { title: Other, version: '1' }\npaths: {}\n");

    [Fact]
    public void Editing_unrelated_code_reruns_nothing_past_the_attribute_step()
    {
        var compilation = GeneratorHarness.Compilation(Client, "namespace App; public class Unrelated { }");
        var driver = GeneratorHarness.Driver(new[] { Photoshop, Other }).RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("namespace App; public class Unrelated { public int Added; }", GeneratorHarness.ParseOptions, path: compilation.SyntaxTrees.Last().FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(Outputs(result, TrackingNames.Clients), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Outputs(result, TrackingNames.Documents), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Outputs(result, TrackingNames.Models), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.NotEmpty(result.TrackedOutputSteps.SelectMany(s => s.Value));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_the_client_class_body_keeps_the_model_cached()
    {
        var compilation = GeneratorHarness.Compilation(Client);
        var driver = GeneratorHarness.Driver(new[] { Photoshop }).RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Client.Replace("public partial class PhotoshopClient;", "public partial class PhotoshopClient { private int _calls; }"), GeneratorHarness.ParseOptions, path: compilation.SyntaxTrees.Single().FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(Outputs(result, TrackingNames.Clients), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Outputs(result, TrackingNames.Models), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Editing_one_document_reparses_only_that_document()
    {
        var compilation = GeneratorHarness.Compilation(Client);
        var driver = GeneratorHarness.Driver(new[] { Photoshop, Other }).RunGenerators(compilation);

        var edited = new GeneratorHarness.Document(Other.Path, Other.GetText()!.ToString().Replace("Other", "Other, edited"));
        var result = driver.ReplaceAdditionalText(Other, edited).RunGenerators(compilation).GetRunResult().Results.Single();

        var documents = result.TrackedSteps[TrackingNames.Documents];
        Assert.Equal(2, documents.Length);
        var reasons = documents.SelectMany(s => s.Outputs).Select(o => o.Reason).OrderBy(r => r).ToArray();
        Assert.Equal(new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Modified }.OrderBy(r => r), reasons);
        var modified = documents.Single(s => s.Outputs.Single().Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(Other.Path, ((ParsedDocument)modified.Outputs.Single().Value).Path);

        // The Photoshop client does not depend on the edited document, so its sources stay cached.
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_the_clients_document_regenerates_it()
    {
        var compilation = GeneratorHarness.Compilation(Client);
        var driver = GeneratorHarness.Driver(new[] { Photoshop }).RunGenerators(compilation);

        var edited = new GeneratorHarness.Document(Photoshop.Path, Photoshop.GetText()!.ToString().Replace("\"operationId\": \"createComposite\"", "\"operationId\": \"makeComposite\""));
        var result = driver.ReplaceAdditionalText(Photoshop, edited).RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Outputs(result, TrackingNames.Models).Single());
        Assert.Contains(result.GeneratedSources, s => s.SourceText.ToString().Contains("MakeCompositeAsync"));
    }

    [Fact]
    public void Pipeline_models_hold_no_compiler_objects()
    {
        // Symbols, syntax, compilations and locations are not equatable and keep old compilations
        // alive; none may hide anywhere in what the pipeline caches.
        var forbidden = new[] { typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Diagnostic), typeof(Microsoft.CodeAnalysis.Text.SourceText) };
        foreach (var type in Reachable(typeof(ClientBuild)).Concat(Reachable(typeof(ClientTarget))))
        {
            Assert.DoesNotContain(forbidden, f => f.IsAssignableFrom(type));
        }
    }

    private static IEnumerable<IncrementalStepRunReason> Outputs(GeneratorRunResult result, string step)
        => result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static HashSet<Type> Reachable(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(new[] { root });
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string))
            {
                continue;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
            {
                pending.Push(argument);
            }

            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
            }

            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                pending.Push(field.FieldType);
            }
        }

        return seen;
    }
}
