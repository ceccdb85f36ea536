using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>The command line: options from arguments, and the program itself from start to stop.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Arguments_set_the_options_and_the_rest_keep_their_defaults()
    {
        var options = EmulatorCommandLine.Parse(["--port", "5080", "--faults", "0.3", "--seed", "7", "--slow", "0.1", "--job-seconds", "4", "--job-failures", "0.25"]);

        Assert.Equal((5080, 0.3, 7, 0.1, TimeSpan.FromSeconds(4), 0.25), (options.Port, options.FaultRate, options.Seed, options.SlowRate, options.JobDuration, options.JobFailureRate));
        Assert.Equal(TimeSpan.FromSeconds(3), options.RateLimitWindow);
        Assert.Equal(16, options.HardLimits[("photoshop", "POST")]);
        Assert.Equal(3, options.HardLimits[("remove-background", "POST")]);
    }

    [Theory]
    [InlineData("--verbose", "Unknown argument")]
    [InlineData("--port", "needs a value")]
    [InlineData("--seed x", "takes a number")]
    [InlineData("--faults 1.5", "FaultRate")]
    [InlineData("--port 70000", "Port")]
    public void A_wrong_argument_is_a_FormatException_that_says_what_is_wrong(string args, string expected)
    {
        var e = Assert.Throws<FormatException>(() => EmulatorCommandLine.Parse(args.Split(' ')));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_prints_its_address_serves_and_prints_the_counts_when_stopped()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Photoshop.Emulator.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [program, "--port", "0", "--faults", "0", "--seed", "5"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Matches(@"^Photoshop API emulator listening on http://127\.0\.0\.1:\d+/$", line);
            using var client = EmulatorHarness.CreateClient(new Uri(line!["Photoshop API emulator listening on ".Length..]));
            using var response = await client.GetAsync("v2/status/urn:ff:jobs:x");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

            // SIGTERM takes the same path as Ctrl+C: the host stops and the program prints the counts.
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var rest = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Photoshop API emulator stopped: requests=1 ", rest, StringComparison.Ordinal);
            Assert.Contains("status 401x1", rest, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
