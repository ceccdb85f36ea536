using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Adobe.Events;
using Conduit.Adobe.Tests.PhotoshopModels;
using Conduit.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conduit.Adobe.Tests.Infrastructure;

/// <summary>
/// An ASP.NET Core app on a real Kestrel on loopback, with the receiver mapped at <c>/adobe/events</c>, trusting
/// the given keys (the internet is never asked), and a handler that records every typed event (and can be held).
/// </summary>
public sealed class ReceiverHost : IAsyncDisposable
{
    public const string ClientId = "my-client";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<AdobeEvent<PhotoshopJobStatusEvent>> _events = new();
    private volatile TaskCompletionSource? _hold;

    private ReceiverHost(WebApplication app, LogLines log)
    {
        _app = app;
        Log = log;
        Url = new Uri(app.Urls.Single() + "/adobe/events");
    }

    public Uri Url { get; }

    public HttpClient Client { get; } = new();

    public LogLines Log { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The typed events the handler received, in order.</summary>
    public IReadOnlyList<AdobeEvent<PhotoshopJobStatusEvent>> Events => _events.ToArray();

    public static async Task<ReceiverHost> StartAsync(IAdobeEventKeySource keys, Action<AdobeEventsOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var log = new LogLines();
        builder.Logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        ReceiverHost? host = null;
        builder.Services.AddAdobeEvents(options =>
            {
                options.ClientId = ClientId;
                configure?.Invoke(options);
            })
            .UseKeys(keys)
            .AddHandler(PhotoshopClient.Webhooks.PhotoshopJobStatus, (e, token) => host!.RecordAsync(e, token));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapAdobeEvents("/adobe/events");
        await app.StartAsync();
        return host = new ReceiverHost(app, log);
    }

    /// <summary>Makes the handler wait until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _hold?.TrySetResult();

    /// <summary>Waits (real time, 10 s at most) until the handler has <paramref name="count"/> events.</summary>
    public async Task<IReadOnlyList<AdobeEvent<PhotoshopJobStatusEvent>>> UntilAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_events.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} events, got {_events.Count}.");
            await Task.Delay(5);
        }

        return Events;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task RecordAsync(AdobeEvent<PhotoshopJobStatusEvent> e, CancellationToken cancellationToken)
    {
        if (_hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        _events.Enqueue(e);
    }
}

/// <summary>Every formatted log line, with its exception.</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue(formatter(state, exception) + exception);
    }
}

/// <summary>A key source that counts how often it is asked, around another.</summary>
public sealed class CountingKeys(IAdobeEventKeySource inner) : IAdobeEventKeySource
{
    private int _asked;

    public int Asked => Volatile.Read(ref _asked);

    public ValueTask<string?> GetPublicKeyAsync(string keyPath, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asked);
        return inner.GetPublicKeyAsync(keyPath, cancellationToken);
    }
}
