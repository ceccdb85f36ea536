// Conduit quickstart: a chained Photoshop workflow through the client Conduit generates from
// openapi/photoshop.json. Without credentials it runs against the Photoshop API emulator on loopback;
// with ADOBE_CLIENT_ID and ADOBE_CLIENT_SECRET set it signs in and runs against Adobe.
using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Conduit;
using Conduit.Adobe;
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
    credentials = new AdobeCredentials(emulator.Options.ApiKey, emulator.Options.ClientSecret) { TokenEndpoint = emulator.TokenEndpoint };
}
else
{
    Console.WriteLine($"Signing in to Adobe as {credentials}.");
}

// Sign-in and the wire counter are ordinary handlers; the generated client takes the HttpClient as it is.
using var tokens = new ImsTokenProvider(credentials!);
var wire = new WireCounter { InnerHandler = new SocketsHttpHandler() };
using var http = new HttpClient(new AdobeAuthenticationHandler(tokens) { InnerHandler = wire }) { BaseAddress = emulator?.BaseAddress };
using var retries = new RetryCounter(nameof(PhotoshopClient));
IPhotoshopClient photoshop = new PhotoshopClient(http);

var inputs = emulator is null ? [settings.Adobe!] : Enumerable.Range(1, settings.Workflows).Select(Files.OnEmulator).ToArray();
var results = await Task.WhenAll(inputs.Select((files, i) => new Workflow(photoshop, $"w{i + 1}").RunAsync(files)));

var jobs = results.Sum(r => r.Jobs);
var failed = results.Sum(r => r.Failed);
var overHardLimit = emulator?.Stats.OverHardLimit.ToString() ?? "n/a";
var requests = emulator?.Stats.Requests ?? wire.Requests;
Console.WriteLine($"summary: jobs={jobs} succeeded={jobs - failed} failed={failed} requests={requests} retried={retries.Count} throttled={wire.Throttled} over-hard-limit={overHardLimit}");
return failed == 0 && overHardLimit is "0" or "n/a" ? 0 : 1;
