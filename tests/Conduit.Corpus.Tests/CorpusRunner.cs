using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Conduit.Corpus.Tests;

/// <summary>How a document fared.</summary>
public enum CorpusOutcome
{
    /// <summary>The client compiles with no error and has one method for each operation of the document.</summary>
    Ok,

    /// <summary>The generator reported an error and emitted nothing (right only for a document that is invalid).</summary>
    DiagnosticOnly,

    /// <summary>Anything else: compile errors, missing or extra operations, a generator crash.</summary>
    Broken,
}

/// <summary>What one document gave.</summary>
public sealed record CorpusResult(
    CorpusEntry Entry,
    DocumentFacts Facts,
    CorpusOutcome Outcome,
    string Reason,
    int GeneratedMethods,
    int GeneratedFiles,
    long GeneratedChars,
    double GenerationMs,
    double CompileMs,
    IReadOnlyList<Diagnostic> GeneratorDiagnostics,
    IReadOnlyList<Diagnostic> CompileErrors,
    int CompileWarnings)
{
    public int GeneratorWarnings => GeneratorDiagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
}

/// <summary>
/// Runs the generator in-process over one corpus document (as the compiler does: the document as an
/// AdditionalFiles item, C# 12 against .NET 8 and the Conduit runtime), compiles the result, and compares
/// the generated client's operations with the document's.
/// </summary>
public static class CorpusRunner
{
    private const string ClientName = "CorpusClient";

    public static CorpusResult Run(CorpusEntry entry, string documentPath)
    {
        var facts = DocumentFacts.Read(documentPath);
        var additionalPath = "docs/" + entry.Id + entry.Extension;
        var compilation = GeneratorHarness.Compilation(
            $"using Conduit; namespace Corpus; [OpenApiClient(\"{additionalPath}\")] public partial class {ClientName};");
        var driver = GeneratorHarness.Driver(
            new[] { new GeneratorHarness.Document(GeneratorHarness.ProjectDirectory + additionalPath, File.ReadAllText(documentPath)) },
            trackSteps: false);

        var clock = Stopwatch.StartNew();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var generationMs = clock.Elapsed.TotalMilliseconds;

        var run = driver.GetRunResult().Results.Single();
        var files = run.GeneratedSources.Length;
        var chars = run.GeneratedSources.Sum(s => (long)s.SourceText.Length);
        if (run.Exception is { } crash)
        {
            return new CorpusResult(entry, facts, CorpusOutcome.Broken, "generator threw " + crash.GetType().Name + ": " + crash.Message, 0, files, chars, generationMs, 0, generatorDiagnostics, Array.Empty<Diagnostic>(), 0);
        }

        var generatorErrors = generatorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (files == 0)
        {
            var outcome = generatorErrors.Count > 0 ? CorpusOutcome.DiagnosticOnly : CorpusOutcome.Broken;
            var why = generatorErrors.Count > 0 ? string.Join("; ", generatorErrors.Take(3).Select(d => d.Id + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))) : "no code and no error";
            return new CorpusResult(entry, facts, outcome, why, 0, 0, 0, generationMs, 0, generatorDiagnostics, Array.Empty<Diagnostic>(), 0);
        }

        clock.Restart();
        var problems = output.GetDiagnostics();
        var compileMs = clock.Elapsed.TotalMilliseconds;
        var errors = problems.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var warnings = problems.Count(d => d.Severity == DiagnosticSeverity.Warning);

        var generated = GeneratedOperations(output, out var methods);
        var reasons = new List<string>();
        if (errors.Count > 0)
        {
            reasons.Add($"{errors.Count} compile errors, first: {errors[0]}");
        }

        if (generatorErrors.Count > 0)
        {
            reasons.Add($"{generatorErrors.Count} generator errors, first: {generatorErrors[0]}");
        }

        var expected = facts.Operations.Select(o => o.Method + " " + o.Path).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Except(generated).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var extra = generated.Except(expected).OrderBy(s => s, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            reasons.Add($"{missing.Count} operations missing, e.g. {string.Join(", ", missing.Take(3))}");
        }

        if (extra.Count > 0)
        {
            reasons.Add($"{extra.Count} operations not in the document, e.g. {string.Join(", ", extra.Take(3))}");
        }

        if (methods != facts.Operations.Count)
        {
            reasons.Add($"{methods} methods on I{ClientName} for {facts.Operations.Count} operations");
        }

        return new CorpusResult(
            entry,
            facts,
            reasons.Count == 0 ? CorpusOutcome.Ok : CorpusOutcome.Broken,
            string.Join("; ", reasons),
            methods,
            files,
            chars,
            generationMs,
            compileMs,
            generatorDiagnostics,
            errors,
            warnings);
    }

    /// <summary>Generates the client for one document and writes its sources to <paramref name="directory"/>; returns the file count.</summary>
    public static int Emit(string documentPath, string directory)
    {
        var additionalPath = "docs/" + Path.GetFileName(documentPath);
        var compilation = GeneratorHarness.Compilation($"using Conduit; namespace Corpus; [OpenApiClient(\"{additionalPath}\")] public partial class {ClientName};");
        var driver = GeneratorHarness.Driver(
            new[] { new GeneratorHarness.Document(GeneratorHarness.ProjectDirectory + additionalPath, File.ReadAllText(documentPath)) },
            trackSteps: false);
        var run = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        Directory.CreateDirectory(directory);
        foreach (var source in run.GeneratedSources)
        {
            File.WriteAllText(Path.Combine(directory, source.HintName), source.SourceText.ToString());
        }

        return run.GeneratedSources.Length;
    }

    /// <summary>
    /// The "METHOD /path" of every <c>OperationInfo</c> in <c>CorpusClient.Operations</c> (read from the
    /// constants the generated code passes), and the number of methods on the client's interface.
    /// </summary>
    private static HashSet<string> GeneratedOperations(Compilation output, out int interfaceMethods)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var iface = output.GetTypeByMetadataName("Corpus.I" + ClientName);
        interfaceMethods = iface?.GetMembers().OfType<IMethodSymbol>().Count(m => m.MethodKind == MethodKind.Ordinary) ?? 0;
        var operations = output.GetTypeByMetadataName("Corpus." + ClientName + "+Operations");
        if (operations is null)
        {
            return result;
        }

        foreach (var field in operations.GetMembers().OfType<IFieldSymbol>().Where(f => f.Type.Name == "OperationInfo"))
        {
            foreach (var reference in field.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: >= 3 } args } } declarator)
                {
                    var model = output.GetSemanticModel(declarator.SyntaxTree);
                    var method = model.GetConstantValue(args[1].Expression).Value as string;
                    var route = model.GetConstantValue(args[2].Expression).Value as string;
                    result.Add(method + " " + route);
                }
            }
        }

        return result;
    }
}
