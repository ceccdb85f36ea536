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
    public void A_value_is_one_node_however_it_is_reached()
    {
        var text = "{\"a\": {\"b\": [1, \"s\"]}, " + string.Join(", ", Enumerable.Range(0, 20).Select(i => $"\"m{i}\": {{}}")) + "}";
        var root = JsonTextReader.Read(text).Root!;

        // By name first, then in order; the large object is looked up often enough to get a dictionary.
        var a = root["a"]!;
        var items = a["b"]!.Items;
        Assert.Same(a, root.Properties[0].Value);
        Assert.Same(items[1], root["a"]!["b"]!.Items[1]);
        Assert.Same(items, a.Properties[0].Value.Items);
        var m7 = root["m7"];
        Assert.Same(m7, root["m7"]);
        Assert.Same(m7, root["m7"]);
        Assert.Same(m7, root.Properties.Single(p => p.Name == "m7").Value);
    }

    [Fact]
    public void Threads_reaching_a_value_at_once_get_the_same_node()
    {
        var text = "[" + string.Join(", ", Enumerable.Range(0, 50).Select(i => $"{{\"v\": {{\"n\": {i}}}}}")) + "]";
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var root = JsonTextReader.Read(text).Root!;
            var seen = new Node?[8];
            Parallel.For(0, seen.Length, t => seen[t] = root.Items[49]["v"]);
            Assert.All(seen, node => Assert.Same(seen[0], node));
        }
    }

    [Fact]
    public void Names_with_escapes_are_compared_decoded()
    {
        var result = JsonTextReader.Read("{\"ab\": 1, \"a\\u0062\": 2, \"c\\\"\": 3}");
        var root = result.Root!;
        Assert.Equal("Duplicate key 'ab': the later value is used.", Assert.Single(result.Problems).Message);
        Assert.Equal(new[] { "ab", "c\"" }, root.Properties.Select(p => p.Name));
        Assert.Equal("2", root["ab"]!.Value);
        Assert.Equal("3", root["c\""]!.Value);
        Assert.Null(root["a\\u0062"]);
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
