using System;
using System.Globalization;
using System.Linq;
using Conduit.Fuzz.Fuzzing;

namespace Conduit.Fuzz;

/// <summary>
/// Long fuzz sessions: <c>dotnet run -c Release --project tests/Conduit.Fuzz.Tests -- --seconds 600 --seed 7</c>.
/// <c>--mutant I</c> replays one mutant (printing its mutations), <c>--count N</c> runs N mutants,
/// <c>--save DIR</c> writes failing mutants as regression files, <c>--bound S</c> sets the per-document time bound,
/// <c>--replay FILE</c> checks one saved document.
/// Exit code 1 if any mutant failed.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int? Number(string name) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;

        if (Option("--replay") is { } file)
        {
            // One saved document, as the regression tests run it.
            var replayed = GeneratorCheck.Run("fuzz/" + System.IO.Path.GetFileName(file), System.IO.File.ReadAllText(file), Array.Empty<(string, string)>(), TimeSpan.FromSeconds(Number("--bound") ?? 10));
            Console.WriteLine($"{file}: {replayed.Elapsed.TotalSeconds:0.00} s ({replayed.GenerationTime.TotalSeconds:0.00} s generating, {replayed.GenerationAllocatedBytes / 1048576.0:0} MB), {replayed.Sources} sources, {replayed.Diagnostics.Length} diagnostics: {replayed.Failure ?? "passed"}");
            return replayed.Passed ? 0 : 1;
        }

        var seed = Number("--seed") ?? 1;
        var bound = TimeSpan.FromSeconds(Number("--bound") ?? 10);
        var mutant = Number("--mutant");
        var seconds = Number("--seconds");
        var count = Number("--count") ?? (mutant is not null && seconds is null ? 1 : null);
        if (count is null && seconds is null)
        {
            seconds = 60;
        }

        if (mutant is not null && count == 1)
        {
            var one = Mutator.Create(Seed.All, seed, mutant.Value);
            Console.WriteLine(one.Describe());
        }

        Console.WriteLine($"fuzzing: seed {seed}, from mutant {mutant ?? 0}, {(count is null ? seconds + " s" : count + " mutants")}, {bound.TotalSeconds:0} s per document");
        var report = FuzzSession.Run(seed, mutant ?? 0, count, seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), bound, Seed.All, Option("--save"), Console.Out);
        Console.WriteLine(report);
        return report.Failures.Count == 0 ? 0 : 1;
    }
}
