// Conduit quickstart: a chained Photoshop workflow through the client Conduit generates from
// openapi/photoshop.json. Without credentials it runs against the Photoshop API emulator on loopback;
// with ADOBE_CLIENT_ID and ADOBE_CLIENT_SECRET set it signs in and runs against Adobe. With --webhook,
// jobs complete from Adobe I/O Events the emulator delivers to a receiver on loopback.
using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Conduit;
using Conduit.Adobe;
using Conduit.Adobe.Events;
using Photoshop.Emulator;
using Photoshop.Quickstart;

var settings = Settings.Parse(args);
if (settings.Problem is { } problem)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine(Settings.Usage);
    return 2;
}

var credentials = AdobeCredentials.FromEnvironment();
await using var emulator = credentials is null
    ? await PhotoshopEmulator.StartAsync(new EmulatorOptions { FaultRate = settings.Faults, Seed = settings.Seed })
    : null;
if (emulator is not null)
{
    Console.WriteLine($"No ADOBE_CLIENT_ID/ADOBE_CLIENT_SECRET: running against the Photoshop API emulator at {emulator.BaseAddress} (faults {settings.Faults:P0}).");
    credentials = new AdobeCredentials(emulator.Options.ApiKey, emulator.Options.ClientSecret)
    {
        TokenEndpoint = emulator.TokenEndpoint,

        // Jobs emit I/O Events only when sent with an organisation (x-gw-ims-org-id).
        OrganizationId = settings.Webhook ? "QUICKSTART0000@AdobeOrg" : null,
    };
}
else
{
    Console.WriteLine($"Signing in to Adobe as {credentials}.");
}

// Webhook mode: a receiver on loopback trusts the emulator's signing keys, the emulator registers it (the
// challenge first), and jobs sent with an organisation id wake up at their event instead of at their next poll.
await using var receiver = settings.Webhook && emulator is not null
    ? await WebhookReceiver.StartAsync(emulator.Options.ApiKey, new TrustedEventKeys(emulator.EventKeys))
    : null;
var options = new ConduitClientOptions();
if (receiver is not null)
{
    await emulator!.RegisterEventsAsync(new EventRegistrationOptions { WebhookUrl = receiver.Url });
    options.JobEvents = receiver.JobEvents;
    Console.WriteLine($"Webhook mode: Adobe I/O Events delivered to {receiver.Url}; jobs complete from their events, polling every {options.Jobs.EventFallbackDelay.TotalSeconds:0} s only as a fallback.");
}

// Sign-in and the wire counter are ordinary handlers; the generated client takes the HttpClient as it is.
using var tokens = new ImsTokenProvider(credentials!);
var wire = new WireCounter { InnerHandler = new SocketsHttpHandler() };
using var http = new HttpClient(new AdobeAuthenticationHandler(tokens) { InnerHandler = wire }) { BaseAddress = emulator?.BaseAddress };
using var retries = new RetryCounter(nameof(PhotoshopClient));
IPhotoshopClient photoshop = new PhotoshopClient(http, options);

var inputs = emulator is null ? [settings.Adobe!] : Enumerable.Range(1, settings.Workflows).Select(Files.OnEmulator).ToArray();
var results = await Task.WhenAll(inputs.Select((files, i) => new Workflow(photoshop, $"w{i + 1}").RunAsync(files)));

var jobs = results.Sum(r => r.Jobs);
var failed = results.Sum(r => r.Failed);
var overHardLimit = emulator?.Stats.OverHardLimit.ToString() ?? "n/a";
var requests = emulator?.Stats.Requests ?? wire.Requests;
var events = receiver is null ? string.Empty : $" events={receiver.Events}";
Console.WriteLine($"summary: jobs={jobs} succeeded={jobs - failed} failed={failed} requests={requests} retried={retries.Count} throttled={wire.Throttled} over-hard-limit={overHardLimit}{events}");
return failed == 0 && overHardLimit is "0" or "n/a" ? 0 : 1;
