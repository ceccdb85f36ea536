using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Conduit.CallBenchmarks;

/// <summary>
/// One call per invocation over loopback to an in-process Kestrel server, through each client. Every
/// client has its own <see cref="HttpClient"/> over one shared <see cref="SocketsHttpHandler"/>.
/// </summary>
/// <remarks>
/// BenchmarkDotNet's allocation figure is the whole process's, so it includes the server's share of each
/// call; <see cref="RawSocket"/> allocates almost nothing itself and so shows that share (subtract it for
/// the client's own allocations).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LoopbackCallBenchmarks
{
    private ItemServer _server = null!;
    private SocketsHttpHandler _handler = null!;
    private ClientSet _clients = null!;
    private RawSocketClient _raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = ItemServer.StartAsync().GetAwaiter().GetResult();
        _handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        _clients = new ClientSet(_handler, _server.BaseAddress);
        _raw = new RawSocketClient(_server.BaseAddress, JsonSerializer.SerializeToUtf8Bytes(ClientSet.Body, ItemJsonContext.Default.Item));
        Checks.RunAsync(_clients).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _clients.Dispose();
        _handler.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("GET")]
    public Task<Item> HandWritten_Get() => _clients.HandWritten.GetItemAsync(42);

    [Benchmark, BenchmarkCategory("GET")]
    public Task<RulesModels.Item> Conduit_Get() => _clients.Conduit.GetItemAsync(42);

    [Benchmark, BenchmarkCategory("GET")]
    public Task<PlainModels.Item> ConduitNoRules_Get() => _clients.ConduitNoRules.GetItemAsync(42);

    [Benchmark, BenchmarkCategory("GET")]
    public Task<Item> Refit_Get() => _clients.Refit.GetItemAsync(42);

    [Benchmark, BenchmarkCategory("GET")]
    public ValueTask<int> RawSocket_Get() => _raw.GetAsync();

    [Benchmark(Baseline = true), BenchmarkCategory("POST")]
    public Task<Item> HandWritten_Post() => _clients.HandWritten.CreateItemAsync(ClientSet.Body);

    [Benchmark, BenchmarkCategory("POST")]
    public Task<RulesModels.Item> Conduit_Post() => _clients.Conduit.CreateItemAsync(ClientSet.RulesBody);

    [Benchmark, BenchmarkCategory("POST")]
    public Task<PlainModels.Item> ConduitNoRules_Post() => _clients.ConduitNoRules.CreateItemAsync(ClientSet.PlainBody);

    [Benchmark, BenchmarkCategory("POST")]
    public Task<Item> Refit_Post() => _clients.Refit.CreateItemAsync(ClientSet.Body);

    [Benchmark, BenchmarkCategory("POST")]
    public ValueTask<int> RawSocket_Post() => _raw.PostAsync();
}
