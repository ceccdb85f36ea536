using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Running;
using Microsoft.CodeAnalysis;

namespace Conduit.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        // Fetch GitHub's description once, in the host process, before any benchmark process starts.
        Documents.EnsureGitHub();

        if (args.Length > 0 && args[0] == "--check")
        {
            return Check();
        }

        if (args.Length == 3 && args[0] == "--loop-phase")
        {
            return LoopPhase(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        }

        if (args.Length == 2 && args[0] == "--parse-variants")
        {
            return ParseVariants.Run(args[1]);
        }

        if (args.Length == 3 && args[0] == "--dump")
        {
            return Dump(args[1], args[2]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    /// <summary>
    /// `-- --loop-phase read|build|emit N`: one of the generator's phases on GitHub's document, N times in a row,
    /// for a profiler to sample (docs/benchmarks.md shows it under `perf record`); prints the mean per run.
    /// </summary>
    private static int LoopPhase(string phase, int runs)
    {
        var phases = new PhaseBenchmarks { Document = "github" };
        phases.Setup();
        Func<int> run = phase switch
        {
            "read" => phases.ReadDocument,
            "build" => phases.BuildModel,
            "emit" => phases.EmitSources,
            _ => throw new ArgumentException($"Unknown phase '{phase}': read, build or emit.", nameof(phase)),
        };
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            run();
        }

        Console.WriteLine($"{phase}: {watch.Elapsed.TotalMilliseconds / runs:0.0} ms per run over {runs} runs");
        return 0;
    }

    /// <summary>`-- --dump github DIR`: writes what the generator makes of a document into DIR, to study its size.</summary>
    private static int Dump(string document, string directory)
    {
        var bench = new GenerationBenchmarks { Document = document };
        bench.Setup();
        bench.Run(out var output, out _);
        Directory.CreateDirectory(directory);
        foreach (var tree in output.SyntaxTrees.Skip(1))
        {
            File.WriteAllText(Path.Combine(directory, Path.GetFileName(tree.FilePath)), tree.ToString());
        }

        Console.WriteLine($"{output.SyntaxTrees.Count() - 1} files written to {directory}");
        return 0;
    }

    /// <summary>`-- --check`: one run per document, printing what was generated and whether it compiles.</summary>
    private static int Check()
    {
        var failed = false;
        foreach (var name in new[] { "photoshop", "github" })
        {
            var bench = new GenerationBenchmarks { Document = name };
            bench.Setup();
            var watch = Stopwatch.StartNew();
            var chars = bench.Run(out var output, out var generatorDiagnostics);
            var elapsed = watch.Elapsed;
            var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            var errors = problems.Count(d => d.Severity == DiagnosticSeverity.Error);
            Console.WriteLine(
                $"{name}: {output.SyntaxTrees.Count() - 1} generated files, {chars:N0} chars, first run {elapsed.TotalMilliseconds:N0} ms, " +
                $"generator diagnostics {generatorDiagnostics.Length}, compile errors {errors}, warnings {problems.Count - errors}");
            foreach (var d in generatorDiagnostics.Concat(problems).Take(10))
            {
                Console.WriteLine("  " + d);
            }

            failed |= errors > 0;
        }

        return failed ? 1 : 0;
    }
}
