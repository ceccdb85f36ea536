using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// Runs what the generator wrote: the features corpus is generated, compiled with a small program that
/// uses the models, loaded, and executed. Converters, unions, enums and extra members are checked on
/// real JSON, not by reading the source.
/// </summary>
public sealed class GeneratedCodeExecutionTests
{
    private const string Program = """
        using System.Linq;
        using System.Text;
        using System.Text.Json;
        using Conduit.Json;
        using Corpus.FeaturesModels;

        public static class Checks
        {
            public static string ReadItem(string json)
            {
                var item = JsonValue.Deserialize(Encoding.UTF8.GetBytes(json), Item.JsonConverter.Instance)!;
                return string.Join("|", item.Id, item.Name, item.Class, item._1st, item.Plus1, item.Minus1, item.Color!.Value.Value,
                    item.Color == Color.Red, item.Labels!["a"], item.AdditionalProperties!["zzz"], item.IdOrName!.Int64, item.Created.Year,
                    item.Pet!.Dog?.GoodBoy, item.Matrix![1][0], item.Extra!.Value.GetProperty("free").GetString());
            }

            public static string WriteItem(string json)
                => Encoding.UTF8.GetString(JsonValue.Serialize(JsonValue.Deserialize(Encoding.UTF8.GetBytes(json), Item.JsonConverter.Instance)!, Item.JsonConverter.Instance));

            public static string ReadPet(string json)
            {
                var pet = JsonValue.Deserialize(Encoding.UTF8.GetBytes(json), Pet.JsonConverter.Instance)!;
                return pet.Cat is { } cat ? $"cat {cat.Name} {cat.Lives}" : pet.Dog is { } dog ? $"dog {dog.Name} {dog.GoodBoy}" : "none";
            }

            public static string ReadTree(string json)
            {
                var tree = JsonValue.Deserialize(Encoding.UTF8.GetBytes(json), Tree.JsonConverter.Instance)!;
                return tree.Name + ":" + string.Join(",", tree.Children!.Select(c => c.Name + "/" + c.Children!.Count));
            }

            public static string SerializeWithContext()
            {
                var filter = new Filter { Owner = "me", Limit = 3 };
                return JsonSerializer.Serialize(filter, FeaturesJsonContext.Default.Options);
            }
        }
        """;

    private const string ItemJson = """
        {"id": 7, "name": "n", "class": "c", "1st": true, "+1": 10, "-1": 2, "color": "purple", "labels": {"a": "b"},
         "zzz": 5, "idOrName": 42, "created": "2026-01-02T03:04:05Z", "pet": {"kind": "doggo", "goodBoy": true, "name": "Rex"},
         "matrix": [[1.5], [2.5, 3]], "extra": {"free": "form"}, "unknownObject": 9}
        """;

    private static readonly Lazy<Type> Checks = new(Build);

    private static string Call(string method, params object[] arguments)
    {
        try
        {
            return (string)Checks.Value.GetMethod(method)!.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
    }

    [Fact]
    public void Models_read_every_kind_of_member()
        => Assert.Equal("7|n|c|True|10|2|purple|False|b|5|42|2026|True|2.5|form", Call("ReadItem", ItemJson));

    [Fact]
    public void Models_write_back_what_they_read_with_wire_names_and_unknown_values()
    {
        var json = Call("WriteItem", ItemJson);

        Assert.Contains("\"+1\":10", json);
        Assert.Contains("\"color\":\"purple\"", json);
        Assert.Contains("\"zzz\":5", json);
        Assert.Contains("\"unknownObject\":9", json);
        Assert.Contains("\"pet\":{\"kind\":\"doggo\"", json);
        Assert.DoesNotContain("\"id\"", json); // read-only: the server sets it, the client does not send it
    }

    [Fact]
    public void Missing_required_member_is_a_clear_error()
    {
        var error = Assert.ThrowsAny<System.Text.Json.JsonException>(() => Call("ReadItem", "{\"id\": 1, \"created\": \"2026-01-02T03:04:05Z\"}"));

        Assert.Contains("'Item' object has no value for its required property 'name'", error.Message);
    }

    [Theory]
    [InlineData("{\"kind\": \"cat\", \"name\": \"Tom\", \"lives\": 9}", "cat Tom 9")]
    [InlineData("{\"kind\": \"doggo\", \"name\": \"Rex\", \"goodBoy\": true}", "dog Rex True")]
    [InlineData("{\"goodBoy\": false, \"name\": \"Fido\", \"kind\": \"doggo\"}", "dog Fido False")]
    public void Unions_are_read_by_discriminator(string json, string expected) => Assert.Equal(expected, Call("ReadPet", json));

    [Fact]
    public void Cyclic_schemas_nest()
        => Assert.Equal("root:a/1,b/0", Call("ReadTree", "{\"name\": \"root\", \"children\": [{\"name\": \"a\", \"children\": [{\"name\": \"x\", \"children\": []}]}, {\"name\": \"b\", \"children\": []}]}"));

    [Fact]
    public void The_generated_context_serves_System_Text_Json_without_reflection()
        => Assert.Equal("{\"owner\":\"me\",\"limit\":3}", Call("SerializeWithContext"));

    private static Type Build()
    {
        var generated = GeneratorHarness.Run(
            "using Conduit; namespace Corpus; [OpenApiClient(\"Corpus/features.yaml\")] public partial class FeaturesClient;",
            ("Corpus/features.yaml", GeneratorHarness.ReadFile("Corpus/features.yaml")));
        var compilation = generated.Output.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Program, GeneratorHarness.ParseOptions));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(image.ToArray()).GetType("Checks")!;
    }
}
