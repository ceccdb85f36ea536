using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace Conduit.EndToEnd.Tests;

/// <summary>
/// The package works exactly as PRODUCT.md shows, for a real consumer: <c>dotnet pack</c> produces one
/// <c>Conduit</c> package; a fresh console project that adds only that package, an AdditionalFiles item
/// and <c>[OpenApiClient("openapi/photoshop.json")]</c> builds without warnings on net8.0 (C# 12) and
/// net10.0, and its generated client sends the requests the document describes.
/// </summary>
public sealed class PackageConsumerTests(PackageConsumerTests.PackedConsumer consumer) : IClassFixture<PackageConsumerTests.PackedConsumer>
{
    [Fact]
    public void Package_holds_the_runtime_the_generator_its_yaml_reader_and_the_code_fixes()
    {
        var entries = consumer.RequirePackage().Entries;

        Assert.Contains("lib/net8.0/Conduit.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Conduit.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/YamlDotNet.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Conduit.CodeFixes.dll", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("/Conduit.Generators.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void Package_declares_its_runtime_dependencies_and_nothing_of_the_generator()
    {
        var dependencies = consumer.RequirePackage().Dependencies;
        var shown = string.Join(", ", dependencies);

        foreach (var expected in new[] { "Microsoft.Extensions.Http", "Polly.Core", "Polly.RateLimiting", "Polly.Extensions", "System.Threading.RateLimiting" })
        {
            Assert.True(dependencies.Contains(expected), $"{expected} is not a dependency; the package declares: {shown}");
        }

        Assert.False(
            dependencies.Any(d => d.StartsWith("Conduit", StringComparison.OrdinalIgnoreCase)
                || d.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)
                || d is "YamlDotNet" or "PolySharp"),
            $"the generator or its build-time references leaked into the dependencies: {shown}");
    }

    [Fact]
    public void Fresh_consumer_builds_on_net8_and_net10_without_warnings_or_generator_diagnostics()
    {
        var build = consumer.RequireBuild();
        var output = build.StandardOutput + build.StandardError;

        Assert.True(output.Contains("0 Warning(s)", StringComparison.Ordinal), build.Describe());
        Assert.False(output.Contains("CND", StringComparison.Ordinal), build.Describe());
        Assert.True(File.Exists(Path.Combine(consumer.ConsumerDirectory, "bin", "Debug", "net8.0", "Consumer.dll")), build.Describe());
        Assert.True(File.Exists(Path.Combine(consumer.ConsumerDirectory, "bin", "Debug", "net10.0", "Consumer.dll")), build.Describe());
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net10.0")]
    public async Task Consumer_sends_the_documented_requests_and_reads_the_answers(string targetFramework)
    {
        consumer.RequireBuild();
        await using var server = await RecordingServer.StartAsync();

        var run = await consumer.RunAsync(targetFramework, server.BaseAddress);
        var requests = server.Requests;
        var described = $"{run.Describe()}{Environment.NewLine}--- server saw ---{Environment.NewLine}{string.Join(Environment.NewLine, requests)}";

        Assert.True(run.ExitCode == 0, described);
        Assert.True(run.StandardOutput.Contains($"job id: {RecordingServer.JobId}", StringComparison.Ordinal), described);
        Assert.True(run.StandardOutput.Contains("status: succeeded", StringComparison.Ordinal), described);
        Assert.True(run.StandardOutput.Contains($"output: {RecordingServer.CutoutUrl}", StringComparison.Ordinal), described);
        Assert.True(requests.Count == 2, described);

        var start = requests[0];
        Assert.Equal("POST", start.Method);
        Assert.Equal("/v2/remove-background", start.Path);
        Assert.Equal($"Bearer {PackedConsumer.AccessToken}", start.Header("Authorization"));
        Assert.Equal(PackedConsumer.ApiKey, start.Header("x-api-key"));
        Assert.Equal(PackedConsumer.OrgId, start.Header("x-gw-ims-org-id"));
        Assert.StartsWith("application/json", start.Header("Content-Type"), StringComparison.Ordinal);
        var expectedBody = new JsonObject { ["image"] = new JsonObject { ["source"] = new JsonObject { ["url"] = PackedConsumer.InputUrl } } };
        Assert.True(JsonNode.DeepEquals(expectedBody, JsonNode.Parse(start.Body)), $"body sent: {start.Body}{Environment.NewLine}{described}");

        var status = requests[1];
        Assert.Equal("GET", status.Method);
        Assert.Equal($"/status/{RecordingServer.JobId}", status.Path);
        Assert.Equal($"Bearer {PackedConsumer.AccessToken}", status.Header("Authorization"));
        Assert.Equal(PackedConsumer.ApiKey, status.Header("x-api-key"));
        Assert.Equal(string.Empty, status.Body);
    }

    [Fact]
    public async Task Misuses_are_warned_about_in_the_build_and_dotnet_format_fixes_them()
    {
        consumer.RequirePackage();
        var project = await consumer.WriteMisusingConsumerAsync();

        var build = await consumer.BuildAsync(project);
        var output = build.StandardOutput + build.StandardError;
        Assert.True(build.ExitCode == 0, build.Describe());
        foreach (var (id, line) in new[] { ("CND3001", 15), ("CND3002", 23), ("CND3006", 23), ("CND3007", 17), ("CND3008", 19) })
        {
            Assert.True(output.Contains($"Program.cs({line},", StringComparison.Ordinal) && output.Contains($"warning {id}:", StringComparison.Ordinal), $"{id} at line {line} is missing{Environment.NewLine}{build.Describe()}");
        }

        // Fixes that touch the same statement or attribute go in separate runs, as a user would apply them one
        // after the other: dotnet format applies each ID's fixes to diagnostics it found before any was applied,
        // so a second fix of the same attribute (CND3006 after CND3002) may find its node gone.
        foreach (var ids in new[] { new[] { "CND3001", "CND3002", "CND3008" }, ["CND3007"], ["CND3006"] })
        {
            var format = await consumer.FormatAsync(project, ids);
            Assert.True(format.ExitCode == 0, format.Describe());
        }

        var fixedProgram = (await File.ReadAllTextAsync(Path.Combine(project, "Program.cs"))).ReplaceLineEndings("\n");
        Assert.Equal(PackedConsumer.FixedMisusingProgram, fixedProgram);

        var rebuild = await consumer.BuildAsync(project);
        Assert.True(rebuild.ExitCode == 0, rebuild.Describe());
        Assert.False((rebuild.StandardOutput + rebuild.StandardError).Contains("warning CND", StringComparison.Ordinal), rebuild.Describe());
    }

    /// <summary>
    /// Packs the repository's Conduit project with a unique version into a temporary folder feed, then
    /// writes and builds a consumer next to it, with its own NuGet package folder. Done once per run.
    /// </summary>
    public sealed class PackedConsumer : IAsyncLifetime
    {
        public const string AccessToken = "e2e-token";
        public const string ApiKey = "e2e-client-id";
        public const string OrgId = "E2E0RG@AdobeOrg";
        public const string InputUrl = "https://e2e-bucket.s3.amazonaws.com/in/photo.jpg";

        private readonly string _root = Path.Combine(Path.GetTempPath(), "conduit-e2e", Guid.NewGuid().ToString("N"));
        private readonly string _version = $"0.0.0-e2e.{DateTime.UtcNow.Ticks}";
        private CommandResult? _pack;
        private CommandResult? _build;
        private PackageContents? _package;

        public string ConsumerDirectory => Path.Combine(_root, "consumer");

        private string Feed => Path.Combine(_root, "feed");

        /// <summary>The consumer's own package folder, so no cached package of another build leaks in.</summary>
        private Dictionary<string, string> ConsumerEnvironment => new() { ["NUGET_PACKAGES"] = Path.Combine(_root, "packages") };

        public async Task InitializeAsync()
        {
            var repository = RepositoryRoot();
            Directory.CreateDirectory(Feed);
            _pack = await DotNet.RunAsync(repository,
            [
                "pack", Path.Combine(repository, "src", "Conduit", "Conduit.csproj"),
                "-c", "Release", $"-p:Version={_version}", "-o", Feed,
                // Build outputs go to the temporary folder: nothing shared with builds in the working tree.
                "--artifacts-path", Path.Combine(_root, "artifacts"),
                "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false",
            ]);
            var package = Path.Combine(Feed, $"Conduit.{_version}.nupkg");
            if (_pack.ExitCode != 0 || !File.Exists(package))
            {
                return;
            }

            _package = PackageContents.Read(package);
            WriteConsumer(repository);
            _build = await DotNet.RunAsync(ConsumerDirectory,
                ["build", "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false"],
                ConsumerEnvironment);
        }

        public Task DisposeAsync()
        {
            if (Environment.GetEnvironmentVariable("CONDUIT_E2E_KEEP") != "1")
            {
                try
                {
                    Directory.Delete(_root, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temporary folder is harmless.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            return Task.CompletedTask;
        }

        public PackageContents RequirePackage()
        {
            Assert.True(_pack is not null, "the fixture did not run");
            Assert.True(_pack!.ExitCode == 0 && _package is not null, $"packing failed or produced no Conduit.{_version}.nupkg{Environment.NewLine}{_pack.Describe()}");
            return _package!;
        }

        public CommandResult RequireBuild()
        {
            RequirePackage();
            Assert.True(_build!.ExitCode == 0, _build.Describe());
            return _build;
        }

        public Task<CommandResult> RunAsync(string targetFramework, Uri baseAddress)
        {
            var environment = ConsumerEnvironment;

            // A machine with only a newer runtime still runs the net8.0 build, as the same binaries.
            environment["DOTNET_ROLL_FORWARD"] = "Major";
            return DotNet.RunAsync(ConsumerDirectory,
                ["run", "--no-build", "-f", targetFramework, "--", baseAddress.AbsoluteUri],
                environment,
                TimeSpan.FromMinutes(2));
        }

        /// <summary>Builds a consumer project in <paramref name="directory"/>, with its own package folder.</summary>
        public Task<CommandResult> BuildAsync(string directory)
            => DotNet.RunAsync(directory, ["build", "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false"], ConsumerEnvironment);

        /// <summary>Applies the code fixes for <paramref name="ids"/> with <c>dotnet format analyzers</c>.</summary>
        public Task<CommandResult> FormatAsync(string directory, params string[] ids)
            => DotNet.RunAsync(directory, ["format", "analyzers", "Consumer.csproj", "--diagnostics", .. ids, "--severity", "info", "--no-restore"], ConsumerEnvironment);

        /// <summary>
        /// A second consumer (net10.0, warnings not errors) whose code makes the mistakes Conduit's analyzers
        /// catch: two input files for one request, a 4xx retried and retries above the document's, a job
        /// discarded, a blocking wait. Restored, not built.
        /// </summary>
        public async Task<string> WriteMisusingConsumerAsync()
        {
            var directory = Path.Combine(_root, "misuse");
            WriteProject(RepositoryRoot(), directory, "net10.0", treatWarningsAsErrors: false, MisusingProgram);
            var restore = await DotNet.RunAsync(directory, ["restore"], ConsumerEnvironment);
            Assert.True(restore.ExitCode == 0, restore.Describe());
            return directory;
        }

        /// <summary>What the misusing consumer's Program.cs starts with, before and after the fixes.</summary>
        private const string MisusingPrelude = """
            using Conduit;
            using PhotoshopModels;

            var photoshop = new PhotoshopClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9") });
            var first = new PsdServiceInput { Href = new Uri("https://bucket.s3.amazonaws.com/a.psd"), Storage = PsdServiceStorage.External };
            var second = new PsdServiceInput { Href = new Uri("https://bucket.s3.amazonaws.com/b.psd"), Storage = PsdServiceStorage.External };
            var cutout = new RemoveBackgroundRequest { Image = new ImageInput { Source = new FileSource { Url = first.Href } } };
            if (args.Length == 0)
            {
                Console.WriteLine("usage: Consumer <anything>, to send for real");
                return;
            }


            """;

        /// <summary>The misusing consumer's Program.cs; the line numbers matter to the test's assertions.</summary>
        private const string MisusingProgram = MisusingPrelude + """
            // CND3001: v1 operations take one input file.
            await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = [first, second], Outputs = [] });
            // CND3007: nothing waits for this job.
            await photoshop.RemoveBackgroundAsync(cutout);
            // CND3008: a blocking wait.
            var job = photoshop.RemoveBackgroundAsync(cutout).Result;
            Console.WriteLine($"job id: {job.JobId}");

            [OpenApiClient("openapi/photoshop.json")]
            [RetryPolicy(Statuses = new[] { 429, 500, 503 }, MaxRetries = 5)]
            public partial class PhotoshopClient;

            """;

        /// <summary>What the two <c>dotnet format</c> runs make of <see cref="MisusingProgram"/>.</summary>
        public const string FixedMisusingProgram = MisusingPrelude + """
            // CND3001: v1 operations take one input file.
            foreach (var input in new PsdServiceInput[] { first, second })
            {
                await (await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = [input], Outputs = [] })).WaitForCompletionAsync();
            }
            // CND3007: nothing waits for this job.
            await (await photoshop.RemoveBackgroundAsync(cutout)).WaitForCompletionAsync();
            // CND3008: a blocking wait.
            var job = await photoshop.RemoveBackgroundAsync(cutout);
            await job.WaitForCompletionAsync();
            Console.WriteLine($"job id: {job.JobId}");

            [OpenApiClient("openapi/photoshop.json")]
            [RetryPolicy(Statuses = new[] { 500, 503 }, MaxRetries = 3)]
            public partial class PhotoshopClient;

            """;

        private void WriteConsumer(string repository) => WriteProject(repository, ConsumerDirectory, "net8.0;net10.0", treatWarningsAsErrors: true, ConsumerProgram);

        /// <summary>A console project that consumes the packed package from the temporary feed and stands alone.</summary>
        private void WriteProject(string repository, string directory, string targetFrameworks, bool treatWarningsAsErrors, string program)
        {
            Directory.CreateDirectory(Path.Combine(directory, "openapi"));
            File.Copy(Path.Combine(repository, "openapi", "photoshop.json"), Path.Combine(directory, "openapi", "photoshop.json"));

            // Stop MSBuild's search for Directory.* files in the folders above: the consumer stands alone.
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            {
                File.WriteAllText(Path.Combine(directory, name), "<Project />\n");
            }

            // The temporary feed in addition to the machine's sources (the mirror serves Microsoft.Extensions.Http).
            File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="conduit-e2e" value="{Feed}" />
                  </packageSources>
                </configuration>
                """);

            File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFrameworks>{targetFrameworks}</TargetFrameworks>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>{(treatWarningsAsErrors ? "true" : "false")}</TreatWarningsAsErrors>
                    <!-- Trim and NativeAOT analyzers on: generated code must raise none of their warnings. -->
                    <IsAotCompatible>true</IsAotCompatible>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Conduit" Version="{_version}" />
                  </ItemGroup>
                  <ItemGroup>
                    <AdditionalFiles Include="openapi/photoshop.json" />
                  </ItemGroup>
                </Project>
                """);

            File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        }

        /// <summary>The consumer of PRODUCT.md: remove a photo's background and wait for the job.</summary>
        private const string ConsumerProgram = $$"""
                using Conduit;
                using Microsoft.Extensions.DependencyInjection;
                using PhotoshopModels;

                if (args.Length != 1)
                {
                    Console.Error.WriteLine("usage: Consumer <base-url>");
                    return 2;
                }

                var services = new ServiceCollection();
                services.AddPhotoshopClient(http =>
                {
                    http.BaseAddress = new Uri(args[0]);
                    http.DefaultRequestHeaders.Authorization = new("Bearer", "{{AccessToken}}");
                    http.DefaultRequestHeaders.Add("x-api-key", "{{ApiKey}}");
                });
                using var provider = services.BuildServiceProvider();
                var photoshop = provider.GetRequiredService<IPhotoshopClient>();

                var job = await photoshop.RemoveBackgroundAsync(
                    new RemoveBackgroundRequest { Image = new ImageInput { Source = new FileSource { Url = new Uri("{{InputUrl}}") } } },
                    xGwImsOrgId: "{{OrgId}}");
                Console.WriteLine($"job id: {job.JobId}");

                var done = await job.WaitForCompletionAsync();
                Console.WriteLine($"status: {done.Status.Value}");
                Console.WriteLine($"output: {done.Result?.Outputs[0].Destination?.Url}");
                return 0;

                [OpenApiClient("openapi/photoshop.json")]
                public partial class PhotoshopClient;

                """;

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Generators.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No Generators.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The file names in a package and the ids of the dependencies its nuspec declares.</summary>
    public sealed record PackageContents(IReadOnlyList<string> Entries, IReadOnlySet<string> Dependencies)
    {
        public static PackageContents Read(string path)
        {
            using var zip = ZipFile.OpenRead(path);
            var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToArray();
            var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/'));
            using var stream = nuspec.Open();
            var dependencies = XDocument.Load(stream).Descendants()
                .Where(e => e.Name.LocalName == "dependency")
                .Select(e => (string?)e.Attribute("id") ?? string.Empty)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            return new PackageContents(entries, dependencies);
        }
    }
}
