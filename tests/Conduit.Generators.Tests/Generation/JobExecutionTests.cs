using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// Runs generated job operations against a scripted HTTP handler: the job is started, its id found
/// where the x-job pointer says, and its status polled through the status operation until it is done.
/// </summary>
public sealed class JobExecutionTests
{
    private const string Document = """
        openapi: 3.0.3
        info: { title: Render, version: "1" }
        servers: [ { url: "https://render.example.com/api" } ]
        paths:
          /renders:
            post:
              operationId: startRender
              x-job: { statusOperation: getRender, jobId: /id, shape: v2 }
              responses:
                "202": { description: accepted, content: { application/json: { schema: { $ref: "#/components/schemas/Accepted" } } } }
          /renders/{renderId}:
            get:
              operationId: getRender
              parameters: [ { name: renderId, in: path, required: true, schema: { type: string } } ]
              responses:
                "200": { description: status, content: { application/json: { schema: { $ref: "#/components/schemas/RenderStatus" } } } }
          /batches:
            post:
              operationId: startBatch
              x-job: { statusOperation: getBatch, statusUrl: /_links/self/href, shape: v1 }
              responses:
                "202": { description: accepted, content: { application/json: { schema: { $ref: "#/components/schemas/BatchAccepted" } } } }
          /batches/{batchId}:
            get:
              operationId: getBatch
              parameters: [ { name: batchId, in: path, required: true, schema: { type: string } } ]
              responses:
                "200": { description: status, content: { application/json: { schema: { $ref: "#/components/schemas/BatchStatus" } } } }
        components:
          schemas:
            Accepted: { type: object, properties: { id: { type: string } } }
            RenderStatus: { type: object, required: [status], properties: { status: { type: string }, output: { type: string } } }
            BatchAccepted:
              type: object
              properties: { _links: { type: object, properties: { self: { type: object, properties: { href: { type: string } } } } } }
            BatchStatus:
              type: object
              properties: { outputs: { type: array, items: { type: object, properties: { status: { type: string } } } } }
        """;

    /// <summary>What a user writes: the job operations return typed job handles.</summary>
    private const string Program = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using App.RenderModels;
        using Conduit;
        using Conduit.Jobs;

        namespace App;

        [OpenApiClient("render.yaml")]
        public partial class RenderClient;

        public static class Run
        {
            public static async Task<string> Render(HttpMessageHandler handler)
            {
                ApiJob<RenderStatus> job = await Client(handler).StartRenderAsync();
                RenderStatus done = await job.WaitForCompletionAsync();
                return $"{job.JobId} {done.Status} {done.Output}";
            }

            public static async Task<string> Batch(HttpMessageHandler handler)
            {
                ApiJob<BatchStatus> job = await Client(handler).StartBatchAsync();
                BatchStatus done = await job.WaitForCompletionAsync();
                return $"{job.JobId} {job.StatusUrl} {done.Outputs!.Count}";
            }

            private static RenderClient Client(HttpMessageHandler handler) => new(
                new HttpClient(handler),
                new ConduitClientOptions { Jobs = new JobPollingOptions { FirstDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(1) } });
        }
        """;

    private static readonly Lazy<Type> Run = new(Build);

    [Fact]
    public async Task A_job_with_a_jobId_pointer_is_started_and_polled_until_it_succeeds()
    {
        var handler = new ScriptedHandler(
            ("POST https://render.example.com/api/renders", HttpStatusCode.Accepted, """{"id": "r-1"}"""),
            ("GET https://render.example.com/api/renders/r-1", HttpStatusCode.OK, """{"status": "running"}"""),
            ("GET https://render.example.com/api/renders/r-1", HttpStatusCode.OK, """{"status": "succeeded", "output": "https://out/r-1.png"}"""));

        Assert.Equal("r-1 succeeded https://out/r-1.png", await Call("Render", handler));
        Assert.True(handler.Done, "Not every scripted request was sent.");
    }

    [Fact]
    public async Task A_v1_job_with_a_statusUrl_pointer_takes_its_id_from_the_url_and_waits_for_every_output()
    {
        var handler = new ScriptedHandler(
            ("POST https://render.example.com/api/batches", HttpStatusCode.Accepted, """{"_links": {"self": {"href": "https://render.example.com/api/batches/b-7"}}}"""),
            ("GET https://render.example.com/api/batches/b-7", HttpStatusCode.OK, """{"outputs": []}"""),
            ("GET https://render.example.com/api/batches/b-7", HttpStatusCode.OK, """{"outputs": [{"status": "succeeded"}, {"status": "running"}]}"""),
            ("GET https://render.example.com/api/batches/b-7", HttpStatusCode.OK, """{"outputs": [{"status": "succeeded"}, {"status": "succeeded"}]}"""));

        Assert.Equal("b-7 https://render.example.com/api/batches/b-7 2", await Call("Batch", handler));
        Assert.True(handler.Done, "Not every scripted request was sent.");
    }

    private static async Task<string> Call(string method, HttpMessageHandler handler)
    {
        try
        {
            return await (Task<string>)Run.Value.GetMethod(method)!.Invoke(null, new object[] { handler })!;
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
    }

    private static Type Build()
    {
        var generated = GeneratorHarness.Run(Program, ("render.yaml", Document));
        Assert.True(generated.GeneratorDiagnostics.IsEmpty, generated.Describe(generated.GeneratorDiagnostics));
        Assert.True(generated.CompileProblems.IsEmpty, generated.Describe(generated.CompileProblems));
        return GeneratedClient.Load(generated).GetType("App.Run", throwOnError: true)!;
    }

    /// <summary>Answers each request with the next scripted answer, after checking it is the request the script expects.</summary>
    private sealed class ScriptedHandler(params (string Request, HttpStatusCode Status, string Json)[] script) : HttpMessageHandler
    {
        private readonly Queue<(string Request, HttpStatusCode Status, string Json)> _script = new(script);

        public bool Done => _script.Count == 0;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = $"{request.Method} {request.RequestUri}";
            Assert.True(_script.Count > 0, $"Unexpected request after the script ended: {sent}");
            var (expected, status, json) = _script.Dequeue();
            Assert.Equal(expected, sent);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }
}
