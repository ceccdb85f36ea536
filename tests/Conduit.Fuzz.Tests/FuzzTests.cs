using System;
using System.Linq;
using Conduit.Fuzz.Fuzzing;
using Xunit.Abstractions;

namespace Conduit.Fuzz;

/// <summary>
/// A fixed, seeded fuzz run on every test run: each mutant of the seed documents either generates a client that
/// compiles or is rejected with an error at its place in the document, and none crashes or hangs the generator.
/// Longer sessions: docs/robustness.md.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>Mutants per test run: about 50 s on this 2-core machine (200 took 69 s).</summary>
    private const int Mutants = 150;

    [Fact]
    public void Seeded_mutants_of_the_seed_documents_generate_or_are_rejected_with_a_diagnostic()
    {
        var report = FuzzSession.Run(sessionSeed: 20261130, first: 0, Mutants, duration: null, bound: TimeSpan.FromSeconds(30), Seed.All);

        output.WriteLine(report.ToString());
        Assert.True(report.Failures.Count == 0, string.Join(Environment.NewLine, report.Failures.Select(f => f.Mutant.Describe() + Environment.NewLine + "  " + f.Failure)));

        // The oracle is only as good as what reaches it: both outcomes must be common.
        Assert.True(report.Generated >= Mutants / 10, report.ToString());
        Assert.True(report.Rejected >= Mutants / 10, report.ToString());
    }

    [Fact]
    public void A_mutant_is_the_same_every_time()
    {
        for (var i = 0; i < 50; i++)
        {
            var first = Mutator.Create(Seed.All, 7, i);
            var again = Mutator.Create(Seed.All, 7, i);
            Assert.Equal(first.Text, again.Text);
            Assert.Equal(first.Mutations, again.Mutations);
        }
    }
}
