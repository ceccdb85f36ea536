using System;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>Every operation starts a job whose state follows the clock: pending, running, then its outcome.</summary>
public sealed class JobTests
{
    public static TheoryData<string> V2Operations { get; } =
        ["/v2/create-composite", "/v2/edit", "/v2/execute-actions", "/v2/generate-manifest", "/v2/create-artboard", "/v2/remove-background"];

    public static TheoryData<string> V1Operations { get; } =
    [
        "/pie/psdService/documentManifest", "/pie/psdService/documentCreate", "/pie/psdService/documentOperations",
        "/pie/psdService/renditionCreate", "/pie/psdService/smartObject", "/pie/psdService/photoshopActions",
        "/pie/psdService/actionJSON", "/pie/psdService/actionJsonCreate", "/pie/psdService/productCrop",
        "/pie/psdService/depthBlur", "/pie/psdService/text", "/pie/psdService/artboardCreate",
    ];

    [Theory]
    [MemberData(nameof(V2Operations))]
    public async Task A_v2_job_is_pending_then_running_then_succeeded(string path)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var accepted = await harness.PostAsync(path, Bodies.ForV2(path));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var body = await EmulatorHarness.ReadJsonAsync(accepted);
        var jobId = body["jobId"]!.GetValue<string>();
        Assert.StartsWith("urn:ff:jobs:", jobId, StringComparison.Ordinal);
        var statusPath = path == "/v2/remove-background" ? "status/" : "v2/status/";
        var statusUrl = new Uri(body["statusUrl"]!.GetValue<string>());
        Assert.Equal(new Uri(harness.Emulator.BaseAddress, statusPath + jobId), statusUrl);

        Assert.Equal("pending", (await harness.ReadStatusAsync(statusUrl)).Body["status"]!.GetValue<string>());
        harness.Time.Advance(TimeSpan.FromSeconds(0.5));
        var running = (await harness.ReadStatusAsync(statusUrl)).Body;
        Assert.Equal("running", running["status"]!.GetValue<string>());
        Assert.Null(running["result"]);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        var (status, done) = await harness.ReadStatusAsync(statusUrl);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(jobId, done["jobId"]!.GetValue<string>());
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal("2026-05-01T12:00:00.000Z", done["createdTime"]!.GetValue<string>());
        Assert.Equal("2026-05-01T12:00:01.500Z", done["modifiedTime"]!.GetValue<string>());
        var outputs = done["result"]!["outputs"]!.AsArray();
        switch (path)
        {
            case "/v2/remove-background":
                var output = Assert.Single(outputs)!;
                Assert.Equal("image/webp", output["mediaType"]!.GetValue<string>());
                Assert.StartsWith(harness.Emulator.BaseAddress + "files/", output["destination"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
                break;
            case "/v2/generate-manifest":
                Assert.Equal("Background", Assert.Single(outputs)!["manifest"]!["layers"]![0]!["name"]!.GetValue<string>());
                break;
            default:
                Assert.Equal(Bodies.OutputUrl, Assert.Single(outputs)!["destination"]!["url"]!.GetValue<string>());
                Assert.Equal("image/png", outputs[0]!["mediaType"]!.GetValue<string>());
                break;
        }

        Assert.Equal(0, harness.Emulator.Stats.JobsFailed);
        Assert.Equal(1, harness.Emulator.Stats.JobsSucceeded);
    }

    [Theory]
    [MemberData(nameof(V1Operations))]
    public async Task A_v1_job_answers_202_while_running_and_200_when_done(string path)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var statusUrl = await harness.StartJobAsync(path, Bodies.ForV1(path));
        Assert.StartsWith(harness.Emulator.BaseAddress + "pie/psdService/status/urn:ff:jobs:", statusUrl.AbsoluteUri, StringComparison.Ordinal);

        // pending for the first third of 1.5 s, running to 1.25 s, uploading to 1.5 s: 202 throughout.
        foreach (var (advance, expected) in new[] { (0.0, "pending"), (0.5, "running"), (0.8, "uploading") })
        {
            harness.Time.Advance(TimeSpan.FromSeconds(advance));
            var (running, body) = await harness.ReadStatusAsync(statusUrl);
            Assert.Equal(HttpStatusCode.Accepted, running);
            Assert.Equal(expected, Assert.Single(body["outputs"]!.AsArray())!["status"]!.GetValue<string>());
        }

        harness.Time.Advance(TimeSpan.FromSeconds(0.2));
        var (status, done) = await harness.ReadStatusAsync(statusUrl);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(statusUrl.AbsoluteUri, done["_links"]!["self"]!["href"]!.GetValue<string>());
        var output = Assert.Single(done["outputs"]!.AsArray())!;
        Assert.Equal("succeeded", output["status"]!.GetValue<string>());
        Assert.Null(output["errors"]);
        var renditions = output["_links"]!["renditions"]!.AsArray();
        if (path == "/pie/psdService/documentManifest")
        {
            Assert.Empty(renditions);
            Assert.Equal(1024, output["document"]!["width"]!.GetValue<int>());
        }
        else
        {
            Assert.Equal(Bodies.OutputUrl, Assert.Single(renditions)!["href"]!.GetValue<string>());
        }

        if (path == "/pie/psdService/documentCreate")
        {
            Assert.Null(output["input"]);
            Assert.Equal("azure", renditions[0]!["storage"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(Bodies.InputUrl, output["input"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_job_of_zero_duration_is_done_at_once()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, JobDuration = TimeSpan.Zero });
        var statusUrl = await harness.StartJobAsync("/v2/edit", Bodies.V2());

        Assert.Equal("succeeded", (await harness.ReadStatusAsync(statusUrl)).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_job_fails_with_error_details_at_a_failure_rate_of_one()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, JobFailureRate = 1 });
        var v2 = await harness.StartJobAsync("/v2/create-composite", Bodies.V2());
        var v1 = await harness.StartJobAsync("/pie/psdService/renditionCreate", Bodies.V1());
        harness.Time.Advance(TimeSpan.FromSeconds(1.5));

        var failed = (await harness.ReadStatusAsync(v2)).Body;
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Null(failed["result"]);
        var detail = Assert.Single(failed["errorDetails"]!.AsArray())!;
        Assert.Equal("runtime_error", detail["errorCode"]!.GetValue<string>());
        Assert.Contains("JobFailureRate", detail["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var (status, v1Failed) = await harness.ReadStatusAsync(v1);
        Assert.Equal(HttpStatusCode.OK, status);
        var output = Assert.Single(v1Failed["outputs"]!.AsArray())!;
        Assert.Equal("failed", output["status"]!.GetValue<string>());
        Assert.Equal("UndefinedError", output["errors"]!["type"]!.GetValue<string>());
        Assert.Null(output["_links"]);
        Assert.Equal(new { Created = 2, Succeeded = 0, Failed = 2 }, Counts(harness.Emulator.Stats));
    }

    [Fact]
    public async Task The_same_seed_fails_the_same_jobs()
    {
        async Task<string[]> OutcomesAsync(int seed)
        {
            await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, JobFailureRate = 0.5, Seed = seed });
            var urls = new Uri[12];
            for (var i = 0; i < urls.Length; i++)
            {
                urls[i] = await harness.StartJobAsync("/v2/edit", Bodies.V2());
            }

            harness.Time.Advance(TimeSpan.FromSeconds(2));
            var outcomes = await Task.WhenAll(urls.Select(async url => (await harness.ReadStatusAsync(url)).Body["status"]!.GetValue<string>()));
            Assert.Equal(outcomes.Count(o => o == "failed"), harness.Emulator.Stats.JobsFailed);
            return outcomes;
        }

        var first = await OutcomesAsync(seed: 11);
        Assert.Equal(first, await OutcomesAsync(seed: 11));
        Assert.Contains("failed", first);
        Assert.Contains("succeeded", first);
    }

    [Fact]
    public async Task An_expired_input_link_fails_a_v2_job_with_a_detail_that_says_so()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var statusUrl = await harness.StartJobAsync("/v2/edit", Bodies.V2("https://bucket.s3.amazonaws.com/expired/input.psd"));
        harness.Time.Advance(TimeSpan.FromSeconds(1.5));

        var body = (await harness.ReadStatusAsync(statusUrl)).Body;
        Assert.Equal("failed", body["status"]!.GetValue<string>());
        var detail = Assert.Single(body["errorDetails"]!.AsArray())!;
        Assert.Equal("input_link_expired", detail["errorCode"]!.GetValue<string>());
        Assert.Contains("input link expired", detail["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_can_be_read_on_any_status_route_in_that_route_s_shape()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var v2 = await harness.StartJobAsync("/v2/create-composite", Bodies.V2());
        var jobId = v2.Segments[^1];
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        var (v1Status, asV1) = await harness.ReadStatusAsync(new Uri(harness.Emulator.BaseAddress, "pie/psdService/status/" + jobId));
        Assert.Equal(HttpStatusCode.OK, v1Status);
        Assert.Equal(Bodies.OutputUrl, asV1["outputs"]![0]!["_links"]!["renditions"]![0]!["href"]!.GetValue<string>());
        var asRemoveBackground = (await harness.ReadStatusAsync(new Uri(harness.Emulator.BaseAddress, "status/" + jobId))).Body;
        Assert.Equal("succeeded", asRemoveBackground["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("v2/status/urn:ff:jobs:unknown", "error_code", "not_found")]
    [InlineData("status/urn:ff:jobs:unknown", "error_code", "not_found")]
    [InlineData("pie/psdService/status/urn:ff:jobs:unknown", "type", "ResourceNotFound")]
    public async Task An_unknown_job_is_404_in_the_route_s_format(string path, string member, string expected)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var response = await harness.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(expected, (await EmulatorHarness.ReadJsonAsync(response))[member]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "v2/nothing", "error_code")]
    [InlineData("GET", "v2/edit", "error_code")]
    [InlineData("POST", "pie/psdService/nothing", "type")]
    [InlineData("DELETE", "v2/status/urn:ff:jobs:x", "error_code")]
    public async Task An_unknown_route_is_404(string method, string path, string member)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var response = await harness.Client.SendAsync(new(new(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull((await EmulatorHarness.ReadJsonAsync(response))[member]);
        Assert.Null(Assert.Single(harness.Emulator.Requests).LimitGroup);
    }

    private static object Counts(EmulatorStats stats) => new { Created = stats.JobsCreated, Succeeded = stats.JobsSucceeded, Failed = stats.JobsFailed };
}
