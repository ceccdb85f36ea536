using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Adobe.Events;
using Conduit.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Photoshop.Quickstart;

/// <summary>
/// The webhook mode's receiver: an ASP.NET Core app on loopback with Conduit.Adobe's I/O Events endpoint,
/// trusting the emulator's signing keys. Accepted events wake the jobs waiting for them (<see cref="JobEvents"/>)
/// and are counted by a typed handler.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _events;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The webhook URL to register.</summary>
    public Uri Url => new(_app.Urls.Single() + "/adobe/events");

    /// <summary>Where jobs hear about their events: set it as <c>ConduitClientOptions.JobEvents</c>.</summary>
    public IJobEvents JobEvents => _app.Services.GetRequiredService<IJobEvents>();

    /// <summary>Events accepted and handled (each once, however often it was delivered).</summary>
    public int Events => Volatile.Read(ref _events);

    public static async Task<WebhookReceiver> StartAsync(string clientId, IAdobeEventKeySource keys)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebhookReceiver? receiver = null;
        builder.Services.AddAdobeEvents(options => options.ClientId = clientId)
            .UseKeys(keys)
            .AddHandler(PhotoshopClient.Webhooks.PhotoshopJobStatus, (e, _) =>
            {
                Interlocked.Increment(ref receiver!._events);
                return Task.CompletedTask;
            });
        var app = builder.Build();
        app.MapAdobeEvents("/adobe/events");
        await app.StartAsync();
        return receiver = new WebhookReceiver(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
