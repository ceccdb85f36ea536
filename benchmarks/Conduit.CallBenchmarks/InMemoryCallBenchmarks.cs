using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Conduit.CallBenchmarks;

/// <summary>
/// The same calls with no network and no server: a handler answers at once with the fixed item (and, for
/// a POST, first writes the request's content to a reused stream, so the client's serialization runs).
/// Time and allocations are the clients' own plus one response message per call, the same for all.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class InMemoryCallBenchmarks
{
    private CannedHandler _handler = null!;
    private ClientSet _clients = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handler = new CannedHandler();
        _clients = new ClientSet(_handler, new System.Uri("http://127.0.0.1:5000/"));
        Checks.RunAsync(_clients, echo: false).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _clients.Dispose();
        _handler.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("GET")]
    public Task<Item> HandWritten_Get() => _clients.HandWritten.GetItemAsync(42);

    [Benchmark, BenchmarkCategory("GET")]
    public Task<RulesModels.Item> Conduit_Get() => _clients.Conduit.GetItemAsync(42);

    [Benchmark, BenchmarkCategory("GET")]
    public Task<PlainModels.Item> ConduitNoRules_Get() => _clients.ConduitNoRules.GetItemAsync(42);

    [Benchmark, BenchmarkCategory("GET")]
    public Task<Item> Refit_Get() => _clients.Refit.GetItemAsync(42);

    [Benchmark(Baseline = true), BenchmarkCategory("POST")]
    public Task<Item> HandWritten_Post() => _clients.HandWritten.CreateItemAsync(ClientSet.Body);

    [Benchmark, BenchmarkCategory("POST")]
    public Task<RulesModels.Item> Conduit_Post() => _clients.Conduit.CreateItemAsync(ClientSet.RulesBody);

    [Benchmark, BenchmarkCategory("POST")]
    public Task<PlainModels.Item> ConduitNoRules_Post() => _clients.ConduitNoRules.CreateItemAsync(ClientSet.PlainBody);

    [Benchmark, BenchmarkCategory("POST")]
    public Task<Item> Refit_Post() => _clients.Refit.CreateItemAsync(ClientSet.Body);
}

/// <summary>Answers every request with the fixed item, after writing a POST's content to a reused stream.</summary>
public sealed class CannedHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly MemoryStream _sink = new();

    /// <summary>The last request body written, for checks.</summary>
    public byte[] LastBody => _sink.ToArray();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            _sink.SetLength(0);
            await content.CopyToAsync(_sink, cancellationToken).ConfigureAwait(false);
        }

        var body = new ByteArrayContent(ItemServer.ItemJson);
        body.Headers.ContentType = Json;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = body, RequestMessage = request };
    }

    protected override void Dispose(bool disposing)
    {
        _sink.Dispose();
        base.Dispose(disposing);
    }
}
