using System.Linq;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Tests.Reading;

public class DocumentReaderTests
{
    // "{a: 1}" is a YAML flow mapping but not JSON (the name is unquoted), so the outcome shows which reader ran.
    private const string YamlOnly = "{a: 1}";

    [Theory]
    [InlineData("api.json")]
    [InlineData("dir/API.JSON")]
    [InlineData("C:\\specs\\api.Json")]
    public void Json_extension_reads_as_json(string path)
    {
        Assert.Null(DocumentReader.Read(path, YamlOnly).Root);
    }

    [Theory]
    [InlineData("api.yaml")]
    [InlineData("api.yml")]
    [InlineData("specs/API.YML")]
    public void Yaml_extension_reads_as_yaml(string path)
    {
        var root = DocumentReader.Read(path, YamlOnly).Root;
        Assert.Equal("1", root!["a"]!.Value);
    }

    [Theory]
    [InlineData("{a: 1}")]
    [InlineData("  \n[1]")]
    [InlineData("\uFEFF{}")]
    [InlineData("// comment\n{}")]
    [InlineData("/* comment */ {}")]
    public void Other_extension_with_a_bracket_first_reads_as_json(string text)
    {
        var result = DocumentReader.Read("api.txt", text);
        var readAsJson = JsonTextReader.Read(text);
        Assert.Equal(readAsJson.Problems.ToArray(), result.Problems.ToArray());
        Assert.Equal(readAsJson.Root is null, result.Root is null);
    }

    [Fact]
    public void Yaml_comment_first_reads_as_yaml()
    {
        var result = DocumentReader.Read("api", "# comment\n{a: 1}");
        Assert.Equal("1", result.Root!["a"]!.Value);
    }

    [Theory]
    [InlineData("openapi")]
    [InlineData("dir.v2/openapi")]
    [InlineData("openapi.")]
    public void Other_extension_with_anything_else_first_reads_as_yaml(string path)
    {
        var result = DocumentReader.Read(path, "# comment\nopenapi: 3.1.0\n");
        Assert.Empty(result.Problems);
        Assert.Equal("3.1.0", result.Root!["openapi"]!.Value);
    }

    [Fact]
    public void Empty_text_without_an_extension_reads_as_yaml()
    {
        var result = DocumentReader.Read("spec", "");
        Assert.Null(result.Root);
        Assert.Equal(YamlTextReader.Read("").Problems.ToArray(), result.Problems.ToArray());
    }
}
