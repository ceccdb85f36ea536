using System;
using System.Collections.Generic;
using System.Net.Http;
using Conduit.Policies;
using Refit;
using Plain = Conduit.CallBenchmarks.PlainModels;
using Rules = Conduit.CallBenchmarks.RulesModels;

namespace Conduit.CallBenchmarks;

/// <summary>The four clients over one handler, each with its own <see cref="HttpClient"/>, and the bodies they post.</summary>
public sealed class ClientSet : IDisposable
{
    private static readonly DateTimeOffset Created = new(2025, 3, 1, 12, 30, 0, TimeSpan.Zero);
    private readonly List<HttpClient> _clients = [];

    /// <summary>Creates the clients over <paramref name="handler"/> (which the caller disposes).</summary>
    public ClientSet(HttpMessageHandler handler, Uri baseAddress)
    {
        HandWritten = new HandWrittenClient(Http(handler, baseAddress));

        // Fresh options and provider: the limiter is created for this run, and is never the shared one.
        Conduit = new ItemsClient(Http(handler, baseAddress), new ConduitClientOptions { RateLimiters = new InProcessRateLimiterProvider(), RateLimitPartition = "bench" });
        ConduitNoRules = new PlainItemsClient(Http(handler, baseAddress), new ConduitClientOptions());
        Refit = RestService.For<IItemsApi>(Http(handler, baseAddress), new RefitSettings(SystemTextJsonContentSerializer.ForContext(ItemJsonContext.Default)));
    }

    public HandWrittenClient HandWritten { get; }

    public ItemsClient Conduit { get; }

    public PlainItemsClient ConduitNoRules { get; }

    public IItemsApi Refit { get; }

    /// <summary>The body every client posts, in each client's model.</summary>
    public static Item Body { get; } = new()
    {
        Id = 43,
        Name = "Red widget",
        Tags = ["red", "widget", "new"],
        Owner = new Owner { Id = 7, Name = "Ada" },
        CreatedAt = Created,
        Price = 24.5,
    };

    /// <inheritdoc cref="Body"/>
    public static Rules.Item RulesBody { get; } = new()
    {
        Id = 43,
        Name = "Red widget",
        Tags = ["red", "widget", "new"],
        Owner = new Rules.Owner { Id = 7, Name = "Ada" },
        CreatedAt = Created,
        Price = 24.5,
    };

    /// <inheritdoc cref="Body"/>
    public static Plain.Item PlainBody { get; } = new()
    {
        Id = 43,
        Name = "Red widget",
        Tags = ["red", "widget", "new"],
        Owner = new Plain.Owner { Id = 7, Name = "Ada" },
        CreatedAt = Created,
        Price = 24.5,
    };

    /// <summary>Disposes the HTTP clients (not the handler).</summary>
    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private HttpClient Http(HttpMessageHandler handler, Uri baseAddress)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress };
        _clients.Add(client);
        return client;
    }
}
