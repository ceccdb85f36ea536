using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Conduit.Benchmarks;

/// <summary>
/// `-- --parse-variants DIR`: what parts of the emitted text cost the compiler to parse. Reads the files
/// `--dump` wrote into DIR, makes variants of them (indentation as tabs, no indentation, no documentation
/// comments) and times the compiler's parse of each (plain build: no documentation mode), the variants
/// alternating within each round so a drifting machine slows them alike. Prints characters and the median and
/// fastest of 10 measured rounds (after 2 warm-up rounds), and each variant's median as a share of the
/// unchanged text's.
/// </summary>
internal static partial class ParseVariants
{
    public static int Run(string directory)
    {
        var files = Directory.GetFiles(directory, "*.cs").Select(File.ReadAllText).ToArray();
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"No .cs files in {directory}: write them first with `-- --dump github {directory}`.");
            return 1;
        }

        var variants = new (string Name, string[] Texts)[]
        {
            ("as emitted", files),
            ("tabs for indentation", [.. files.Select(f => Indentation().Replace(f, m => new string('\t', m.Length / 4)))]),
            ("no indentation", [.. files.Select(f => Indentation().Replace(f, ""))]),
            ("no documentation comments", [.. files.Select(f => DocumentationLine().Replace(f, ""))]),
        };
        var options = new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.None);
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < 12; round++)
        {
            foreach (var (name, texts) in variants)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var watch = Stopwatch.StartNew();
                foreach (var text in texts)
                {
                    CSharpSyntaxTree.ParseText(SourceText.From(text), options).GetRoot();
                }

                if (round >= 2)
                {
                    times[name].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var baseline = Median(times[variants[0].Name]);
        foreach (var (name, texts) in variants)
        {
            var median = Median(times[name]);
            Console.WriteLine($"{name}: {texts.Sum(t => t.Length):N0} chars, median {median:0.0} ms, fastest {times[name].Min():0.0} ms, {median / baseline:0.00} of as emitted");
        }

        return 0;
    }

    [GeneratedRegex("(?m)^ +")]
    private static partial Regex Indentation();

    [GeneratedRegex("(?m)^ *///.*\n")]
    private static partial Regex DocumentationLine();
}
