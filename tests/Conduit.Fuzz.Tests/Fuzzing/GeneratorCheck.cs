using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Conduit.Fuzz.Fuzzing;

/// <summary>What one document did to the generator: the first broken promise (null if none) and what it cost.</summary>
public sealed record CheckResult(string? Failure, TimeSpan Elapsed, int Sources, ImmutableArray<Diagnostic> Diagnostics, long GenerationAllocatedBytes = 0, TimeSpan GenerationTime = default, bool CompileSkipped = false)
{
    public bool Passed => Failure is null;

    public bool Generated => Sources > 0;
}

/// <summary>
/// Runs the generator on one document as the compiler does, on a thread with a 1 MB stack (a Windows compiler
/// thread's), under a time bound, and checks the promises of issue 5: nothing escapes the generator (no CS8785 or
/// AD0001, no "please report" diagnostic from its own safety nets), no hang, emitted code compiles, no code means
/// at least one error, and every diagnostic about the document lies within it.
/// </summary>
public static class GeneratorCheck
{
    public const string ClassName = "FuzzClient";

    private const int StackSize = 1024 * 1024;

    /// <summary>
    /// Generated code beyond this many chars is not compile-checked: the compiler takes tens of seconds for a mutant
    /// that turned an array into 10,000 enum values (its cost, measured in docs/robustness.md, not the generator's).
    /// </summary>
    public const int MaxCompiledChars = 600_000;

    /// <summary>
    /// Generates within <paramref name="bound"/> (a hang otherwise), then compiles what was generated within
    /// <paramref name="compileBound"/>, unless it is over <see cref="MaxCompiledChars"/> (counted as
    /// <see cref="CheckResult.CompileSkipped"/>).
    /// </summary>
    public static CheckResult Run(string path, string text, IReadOnlyList<(string Path, string Text)> companions, TimeSpan bound, bool compile = true, TimeSpan? compileBound = null)
    {
        CheckResult? result = null;
        Exception? escaped = null;
        using var generating = new CancellationTokenSource();
        using var compiling = new CancellationTokenSource();
        using var generated = new ManualResetEventSlim();
        var compileLimit = compileBound ?? TimeSpan.FromSeconds(Math.Max(30, bound.TotalSeconds * 3));
        var watch = Stopwatch.StartNew();
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = RunAndCheck(path, text, companions, compile, generating.Token, compiling, generated);
                }
                catch (Exception e)
                {
                    escaped = e;
                }
                finally
                {
                    generated.Set();
                }
            },
            StackSize)
        { IsBackground = true, Name = "generator under test" };
        thread.Start();
        if (!generated.Wait(bound))
        {
            // Hang: cancel (the driver passes the token to the generator) and give it a moment to stop.
            generating.Cancel();
            var stopped = thread.Join(TimeSpan.FromSeconds(5));
            return new CheckResult($"hang: no result within {bound.TotalSeconds:0} s{(stopped ? " (stopped when cancelled)" : " (still running after cancellation)")}", watch.Elapsed, 0, ImmutableArray<Diagnostic>.Empty);
        }

        compiling.CancelAfter(compileLimit);
        if (!thread.Join(compileLimit + TimeSpan.FromSeconds(10)))
        {
            return new CheckResult($"the compile check did not stop within {compileLimit.TotalSeconds:0} s", watch.Elapsed, 0, ImmutableArray<Diagnostic>.Empty);
        }

        return escaped is not null
            ? new CheckResult($"exception escaped the generator driver: {escaped}", watch.Elapsed, 0, ImmutableArray<Diagnostic>.Empty)
            : result! with { Elapsed = watch.Elapsed };
    }

    public static string Source(string path) =>
        $"using Conduit; namespace Fuzz; [OpenApiClient(\"{path}\")] public partial class {ClassName};";

    private static CheckResult RunAndCheck(string path, string text, IReadOnlyList<(string Path, string Text)> companions, bool compile, CancellationToken token, CancellationTokenSource compiling, ManualResetEventSlim generated)
    {
        var documents = new[] { (path, text) }.Concat(companions)
            .Select(d => (AdditionalText)new GeneratorHarness.Document(GeneratorHarness.ProjectDirectory + d.Item1, d.Item2))
            .ToList();
        var compilation = GeneratorHarness.Compilation(Source(path));
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var generation = Stopwatch.StartNew();
        var driver = GeneratorHarness.Driver(documents, trackSteps: false)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, token);
        var run = driver.GetRunResult().Results.Single();
        var sources = run.GeneratedSources.Length;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        generation.Stop();

        var failure = Problems(path, text, run, diagnostics).FirstOrDefault();
        var generatedChars = run.GeneratedSources.Sum(s => s.SourceText.Length);
        var compileSkipped = compile && generatedChars > MaxCompiledChars;
        generated.Set();
        if (failure is null && sources > 0 && compile && !compileSkipped)
        {
            try
            {
                var errors = output.GetDiagnostics(compiling.Token).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (errors.Count > 0)
                {
                    failure = $"generated code does not compile ({errors.Count} errors): {string.Join(" | ", errors.Take(3).Select(e => e + " [" + Line(e) + "]"))}";
                }
            }
            catch (OperationCanceledException)
            {
                failure = $"compiling {generatedChars} chars of generated code took longer than the compile bound";
            }
        }

        return new CheckResult(failure, TimeSpan.Zero, sources, diagnostics, allocated, generation.Elapsed, compileSkipped);
    }

    private static IEnumerable<string> Problems(string path, string text, GeneratorRunResult run, ImmutableArray<Diagnostic> diagnostics)
    {
        if (run.Exception is { } exception)
        {
            yield return $"the generator threw {exception}";
        }

        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Id is "CS8785" or "CS8784" or "AD0001")
            {
                yield return $"the compiler caught a generator failure: {diagnostic}";
            }
            else if (diagnostic.GetMessage().Contains("please report", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"the generator's safety net caught a bug: {diagnostic}";
            }
            else if (OutsideDocument(diagnostic, path, text) is { } where)
            {
                yield return $"{diagnostic.Id} has no usable location ({where}): {diagnostic.GetMessage()}";
            }
        }

        if (run.GeneratedSources.IsEmpty && !diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            yield return "nothing was generated, and no error says why";
        }
    }

    /// <summary>Why a diagnostic's location is unusable, or null: it must be in the document (within its text) or in the C# source.</summary>
    private static string? OutsideDocument(Diagnostic diagnostic, string path, string text)
    {
        var location = diagnostic.Location;
        if (location == Location.None)
        {
            return "Location.None";
        }

        var span = location.GetLineSpan();
        if (location.IsInSource)
        {
            return null;
        }

        if (span.Path != GeneratorHarness.ProjectDirectory + path)
        {
            // A document it references: checked by its own text elsewhere; here only that it is one of ours.
            return span.Path.StartsWith(GeneratorHarness.ProjectDirectory, StringComparison.Ordinal) ? null : $"unknown file '{span.Path}'";
        }

        if (location.SourceSpan.Start < 0 || location.SourceSpan.End > text.Length)
        {
            return $"span {location.SourceSpan} outside the text of {text.Length} chars";
        }

        var expectedStart = Position(text, location.SourceSpan.Start);
        var expectedEnd = Position(text, location.SourceSpan.End);
        return expectedStart == span.StartLinePosition && expectedEnd == span.EndLinePosition
            ? null
            : $"line/column {span.StartLinePosition}-{span.EndLinePosition} do not match span {location.SourceSpan} ({expectedStart}-{expectedEnd})";
    }

    /// <summary>
    /// The zero-based line and column of an offset, with the line breaks of JSON and YAML 1.2 (\n, \r\n, \r); U+2028,
    /// U+2029 and U+0085 are not line breaks in either, though Roslyn's SourceText counts them.
    /// </summary>
    private static LinePosition Position(string text, int offset)
    {
        var starts = LineStarts(text);
        var index = starts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return new LinePosition(line, offset - starts[line]);
    }

    [ThreadStatic]
    private static (string Text, List<int> Starts)? _lineStarts;

    private static List<int> LineStarts(string text)
    {
        if (_lineStarts is { } cached && ReferenceEquals(cached.Text, text))
        {
            return cached.Starts;
        }

        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = (text, starts);
        return starts;
    }

    private static string Line(Diagnostic diagnostic)
    {
        var tree = diagnostic.Location.SourceTree;
        if (tree is null)
        {
            return "";
        }

        var line = tree.GetText().Lines.GetLineFromPosition(diagnostic.Location.SourceSpan.Start).ToString().Trim();
        return line.Length > 160 ? line.Substring(0, 160) + "..." : line;
    }
}
