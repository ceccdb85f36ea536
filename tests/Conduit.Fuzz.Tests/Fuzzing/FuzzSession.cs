using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Conduit.Fuzz.Fuzzing;

/// <summary>What a session did: how many mutants, how fast, and which ones broke a promise.</summary>
public sealed record SessionReport(int Mutants, int Generated, int Rejected, int CompileSkipped, TimeSpan Elapsed, TimeSpan Slowest, string SlowestMutant, IReadOnlyList<(Mutant Mutant, string Failure)> Failures)
{
    public double PerSecond => Mutants / Math.Max(0.001, Elapsed.TotalSeconds);

    public override string ToString() =>
        $"{Mutants} mutants in {Elapsed.TotalSeconds:0.0} s ({PerSecond:0.00}/s): {Generated} generated a client that compiles, {CompileSkipped} generated a client too big to compile-check in time, {Rejected} rejected with an error; " +
        $"{Failures.Count} failures; slowest {Slowest.TotalSeconds:0.00} s ({SlowestMutant})";
}

/// <summary>Runs mutants <c>first, first+1, ...</c> of a session seed until a count or a time is reached.</summary>
public static class FuzzSession
{
    public static SessionReport Run(int sessionSeed, int first, int? count, TimeSpan? duration, TimeSpan bound, IReadOnlyList<Seed> seeds, string? saveTo = null, TextWriter? log = null)
    {
        var watch = Stopwatch.StartNew();
        var failures = new List<(Mutant, string)>();
        var generated = 0;
        var rejected = 0;
        var compileSkipped = 0;
        var slowest = TimeSpan.Zero;
        var slowestMutant = "";
        var index = first;
        while ((count is null || index - first < count) && (duration is null || watch.Elapsed < duration))
        {
            var mutant = Mutator.Create(seeds, sessionSeed, index++);
            var result = GeneratorCheck.Run(mutant.Path, mutant.Text, mutant.Seed.Companions, bound);
            if (result.Elapsed > slowest)
            {
                slowest = result.Elapsed;
                slowestMutant = mutant.Describe();
            }

            if (!result.Passed)
            {
                failures.Add((mutant, result.Failure!));
                log?.WriteLine($"FAIL {mutant.Describe()}{Environment.NewLine}     {result.Failure}");
                if (saveTo is not null)
                {
                    Save(saveTo, mutant);
                }
            }
            else if (result.CompileSkipped)
            {
                compileSkipped++;
            }
            else if (result.Generated)
            {
                generated++;
            }
            else
            {
                rejected++;
            }

            if (log is not null && (index - first) % 100 == 0)
            {
                log.WriteLine($"  {index - first} mutants, {failures.Count} failures, {watch.Elapsed.TotalSeconds:0} s");
            }
        }

        return new SessionReport(index - first, generated, rejected, compileSkipped, watch.Elapsed, slowest, slowestMutant, failures);
    }

    /// <summary>Writes a failing mutant where a regression test can replay it: the document, named after its seed and mutant.</summary>
    public static string Save(string directory, Mutant mutant)
    {
        Directory.CreateDirectory(directory);
        var extension = Path.GetExtension(mutant.Path);
        var file = Path.Combine(directory, $"{mutant.Seed.Name}-s{mutant.SessionSeed}-m{mutant.Index}{extension}");
        File.WriteAllText(file, mutant.Text);
        File.WriteAllText(file + ".txt", mutant.Describe() + Environment.NewLine);
        return file;
    }
}
