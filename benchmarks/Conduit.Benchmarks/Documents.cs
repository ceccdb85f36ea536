using System;
using System.Diagnostics;
using System.IO;

namespace Conduit.Benchmarks;

/// <summary>
/// Locates the benchmark documents: openapi/photoshop.json from the repository, and GitHub's REST
/// description from the npm package @octokit/openapi, fetched into benchmarks/.cache/ (never committed).
/// </summary>
internal static class Documents
{
    public const string OctokitPackage = "@octokit/openapi@23.0.2";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string CacheDirectory => Path.Combine(RepositoryRoot, "benchmarks", ".cache");

    public static string GitHubPath => Path.Combine(CacheDirectory, "api.github.com.json");

    public static string PathOf(string name) => name switch
    {
        "photoshop" => Path.Combine(RepositoryRoot, "openapi", "photoshop.json"),
        "github" => EnsureGitHub(),
        _ => throw new ArgumentException($"Unknown document '{name}'.", nameof(name)),
    };

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    /// <summary>Runs `npm pack @octokit/openapi@23.0.2` and extracts generated/api.github.com.json if it is missing.</summary>
    public static string EnsureGitHub()
    {
        if (File.Exists(GitHubPath))
        {
            return GitHubPath;
        }

        Directory.CreateDirectory(CacheDirectory);
        Run("npm", $"pack {OctokitPackage} --silent");
        var tarball = Path.Combine(CacheDirectory, "octokit-openapi-23.0.2.tgz");
        if (!File.Exists(tarball))
        {
            throw new InvalidOperationException($"npm pack did not produce {tarball}.");
        }

        Run("tar", $"-xzf {Path.GetFileName(tarball)} package/generated/api.github.com.json");
        File.Move(Path.Combine(CacheDirectory, "package", "generated", "api.github.com.json"), GitHubPath, overwrite: true);
        Directory.Delete(Path.Combine(CacheDirectory, "package"), recursive: true);
        return GitHubPath;
    }

    private static void Run(string fileName, string arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments) { WorkingDirectory = CacheDirectory, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{fileName} {arguments}` exited with {process.ExitCode}.");
        }
    }

    // BenchmarkDotNet runs each benchmark in a child process built under bin/, so walk up from both
    // the working directory and the assembly's directory to the folder holding Generators.sln.
    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Generators.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Could not find the repository root (Generators.sln).");
    }
}
