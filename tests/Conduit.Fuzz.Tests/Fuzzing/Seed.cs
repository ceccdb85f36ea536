using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Conduit.Fuzz.Fuzzing;

/// <summary>A valid document the fuzzer mutates, with the documents it references (left unmutated).</summary>
public sealed record Seed(string Name, string Path, string Text, IReadOnlyList<(string Path, string Text)> Companions)
{
    public bool IsYaml => Path.EndsWith(".yaml", StringComparison.Ordinal) || Path.EndsWith(".yml", StringComparison.Ordinal);

    /// <summary>Our Photoshop document and the generator tests' hand-written corpus (JSON and YAML).</summary>
    public static IReadOnlyList<Seed> All { get; } = Load();

    private static IReadOnlyList<Seed> Load()
    {
        var root = System.IO.Path.Combine(AppContext.BaseDirectory, "Seeds");
        var thing = ("fuzz/schemas/thing.schema.json", Read(root, "Corpus/schemas/thing.schema.json"));
        return new[]
        {
            new Seed("photoshop", "fuzz/photoshop.json", Read(root, "photoshop.json"), Array.Empty<(string, string)>()),
            new Seed("adobe-style", "fuzz/adobe-style.json", Read(root, "Corpus/adobe-style.json"), new[] { thing }),
            new Seed("features", "fuzz/features.yaml", Read(root, "Corpus/features.yaml"), Array.Empty<(string, string)>()),
            new Seed("petstore-swagger2", "fuzz/petstore-swagger2.json", Read(root, "Corpus/petstore-swagger2.json"), Array.Empty<(string, string)>()),
        };
    }

    public static Seed Named(string name) => All.Single(s => s.Name == name);

    private static string Read(string root, string relative) => File.ReadAllText(System.IO.Path.Combine(root, relative));
}
