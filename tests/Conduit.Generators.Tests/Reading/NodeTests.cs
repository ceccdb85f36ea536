using System.Linq;
using System.Threading.Tasks;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Tests.Reading;

public class NodeTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(500)]
    public void Indexer_finds_every_member_of_small_and_large_objects(int count)
    {
        var text = "{" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"m{i}\": {i}")) + "}";
        var root = JsonTextReader.Read(text).Root!;
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), root[$"m{i}"]!.Value);
        }

        Assert.Null(root["missing"]);
        Assert.Null(root["M0"]);
    }

    [Fact]
    public void Indexer_on_a_non_object_is_null()
    {
        var root = JsonTextReader.Read("[{\"a\": 1}, \"a\"]").Root!;
        Assert.Null(root["a"]);
        Assert.Null(root.Items[1]["a"]);
    }

    [Fact]
    public void Lookup_of_a_large_object_is_safe_from_many_threads()
    {
        var text = "{" + string.Join(", ", Enumerable.Range(0, 100).Select(i => $"\"m{i}\": {i}")) + "}";
        var root = JsonTextReader.Read(text).Root!;
        Parallel.For(0, 64, i => Assert.Equal($"{i}", root[$"m{i}"]!.Value));
    }

    [Fact]
    public void Scalars_have_no_children_and_containers_no_value()
    {
        var root = JsonTextReader.Read("{\"a\": [\"s\"]}").Root!;
        Assert.Null(root.Value);
        Assert.Empty(root.Items);
        Assert.Null(root["a"]!.Value);
        Assert.Empty(root["a"]!.Properties);
        var s = root["a"]!.Items[0];
        Assert.Empty(s.Items);
        Assert.Empty(s.Properties);
        Assert.False(s.IsTrue);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", false)]
    [InlineData("1", false)]
    public void IsTrue_only_for_the_boolean_true(string json, bool expected)
    {
        Assert.Equal(expected, JsonTextReader.Read(json).Root!.IsTrue);
    }
}
