using System;
using System.Diagnostics;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Tests.Reading;

/// <summary>Invalid input never throws: every prefix and some corruptions of sample documents are read to a result.</summary>
public class RobustnessTests
{
    private const string Json = "\uFEFF{\n  \"openapi\": \"3.1.0\", // c\n  \"info\": {\"title\": \"T\\u00e9\\ud83d\\ude00\", \"version\": \"1\",},\n" +
        "  \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\nyes\", \"x\": [1, -2.5e3, null, true, false, /* */]}}}}}\n}\n";

    private const string Yaml = "\uFEFFopenapi: 3.1.0\ninfo: {title: \"T\\u00e9\", version: '1'}\npaths:\n  /a:\n    get:\n" +
        "      responses:\n        '200': &ok\n          description: |\n            ok\n        201: *ok\n        x: [1, 0x1F, ~, true, .5]\n" +
        "? [k]\n: v\n---\nsecond: doc\n";

    [Fact]
    public void Every_prefix_of_a_json_document_reads_without_throwing()
    {
        Assert.NotNull(JsonTextReader.Read(Json).Root);
        ForEachPrefix(Json, JsonTextReader.Read);
    }

    [Fact]
    public void Every_prefix_of_a_yaml_document_reads_without_throwing()
    {
        Assert.NotNull(YamlTextReader.Read(Yaml).Root);
        ForEachPrefix(Yaml, YamlTextReader.Read);
    }

    [Fact]
    public void Random_corruptions_read_without_throwing()
    {
        const string alphabet = "{}[]:,\"'\\-?&*!|>#%@` \n\t\rabc0123.eEu/\uFEFF\ud83d";
        var random = new Random(42);
        foreach (var sample in new[] { Json, Yaml })
        {
            for (var round = 0; round < 2000; round++)
            {
                var chars = sample.ToCharArray();
                for (var edit = 0; edit < 3; edit++)
                {
                    chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                }

                var text = new string(chars);
                AssertConsistent(text, JsonTextReader.Read(text));
                AssertConsistent(text, YamlTextReader.Read(text));
            }
        }
    }

    private static void ForEachPrefix(string document, Func<string, ReadResult> read)
    {
        var watch = Stopwatch.StartNew();
        for (var length = 0; length <= document.Length; length++)
        {
            var text = document.Substring(0, length);
            AssertConsistent(text, read(text));
        }

        Assert.True(watch.ElapsedMilliseconds < 30_000, $"hang guard: took {watch.ElapsedMilliseconds} ms (speed is measured in benchmarks/, not here)");
    }

    /// <summary>A null root comes with an error, and every problem lies within the text.</summary>
    private static void AssertConsistent(string text, ReadResult result)
    {
        if (result.Root is null)
        {
            Assert.Contains(result.Problems, p => p.Severity == ProblemSeverity.Error);
        }

        foreach (var problem in result.Problems)
        {
            Assert.True(problem.Start >= 0 && problem.Length >= 0 && problem.Start + problem.Length <= text.Length, $"{problem} is outside the text of length {text.Length}");
            Assert.False(string.IsNullOrWhiteSpace(problem.Message));
        }
    }
}
