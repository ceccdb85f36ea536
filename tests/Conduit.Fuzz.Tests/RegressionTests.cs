using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Conduit.Fuzz.Fuzzing;

namespace Conduit.Fuzz;

/// <summary>
/// Documents that once broke the generator (a crash, a hang, code that did not compile), kept under Regressions/ and
/// replayed through the fuzzer's checks. A fuzz session's <c>--save DIR</c> writes new ones in the same form.
/// </summary>
public sealed class RegressionTests
{
    public static IEnumerable<object[]> Documents() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Regressions"))
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(f => new object[] { Path.GetFileName(f) })
            .OrderBy(f => (string)f[0], StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_that_once_broke_the_generator_now_passes_every_check(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Regressions", file));
        var result = GeneratorCheck.Run("fuzz/" + file, text, Array.Empty<(string, string)>(), TimeSpan.FromSeconds(30));

        Assert.True(result.Passed, result.Failure);
    }

    [Fact]
    public void There_are_regression_documents_to_replay() => Assert.True(Documents().Count() >= 3);
}
